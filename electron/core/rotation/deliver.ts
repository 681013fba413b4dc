import type { Diagnosis } from '../../../shared/contract';
import { maskKeyId } from '../../../shared/mask';
import type { DeliveredKey } from '../deliveries/kind';
import { deliveryOutcome, holdsKey, placeError, type LoadedDelivery } from '../deliveries/service';
import { KeywardError } from '../errors';
import type { RotationContext } from './context';
import { RotationStepError } from './errors';
import type { Rotation } from './journal';

// The apply step's deliveries, and their undoing. For each place: what it holds is sealed
// into the journal first (so a kill right after the write still rolls back), then the new
// key is written, read back and checked, and the write recorded. Any failure stops the
// rotation before the old key is deactivated. A rollback puts back, in reverse order,
// what each place held.

/** A delivery's failure as a step failure: the cause, what to do, and the command to look yourself. */
function deliveryFailure(rot: Rotation, d: LoadedDelivery, code: string, cause: string, diagnosis: Diagnosis | null, step = 'apply'): RotationStepError {
  const next =
    step === 'apply'
      ? `The old key is still active and nothing was deactivated: fix it, then resume (keyward rotate --resume ${rot.id}), or roll back (keyward rotate --rollback ${rot.id}).`
      : `Fix it, then roll back again (keyward rotate --rollback ${rot.id}): places already restored are left as they are.`;
  return new RotationStepError({
    step,
    operation: `${d.kind.title}: ${d.place}`,
    error: { code, message: cause },
    diagnosis: { cause: diagnosis?.cause ?? cause, remedy: [...(diagnosis?.remedy ?? []), next], test: diagnosis?.test ?? d.kind.testCommand(d.config), link: diagnosis?.link ?? null },
  });
}

function failureOf(e: unknown): { code: string; cause: string } {
  if (e instanceof KeywardError) return { code: e.code, cause: e.message };
  const code = (e as { code?: unknown } | null)?.code;
  return { code: typeof code === 'string' ? code : 'DeliveryFailed', cause: 'The place could not be written (an unexpected error; details are in the log).' };
}

/**
 * A place's error as [code, cause, diagnosis]; an unexpected one goes to the log (its kind and
 * stack, never its message). An AWS place's failed call keeps AWS's code and the kind's diagnosis.
 */
function failed(ctx: RotationContext, d: LoadedDelivery, e: unknown, prefix: string): [string, string, Diagnosis | null] {
  const diagnosed = e instanceof KeywardError ? placeError(e) : null;
  if (diagnosed?.diagnosis) return [diagnosed.error.code, `${prefix}${diagnosed.error.message}`, diagnosed.diagnosis];
  if (!(e instanceof KeywardError)) ctx.log.error(`a ${d.kind.id} delivery failed`, e);
  const f = failureOf(e);
  return [f.code, `${prefix}${f.cause}`, null];
}

/** Writes the new key to every delivery of the credential; returns what was delivered, for the journal. */
export async function deliverNewKey(ctx: RotationContext, rot: Rotation, key: DeliveredKey): Promise<Array<{ deliveryId: string; kind: string; place: string }>> {
  const deliveries = ctx.deliveries;
  const saved = new Map(deliveries.repo.savedBy(rot.id).map((s) => [s.deliveryId, s]));
  const done: Array<{ deliveryId: string; kind: string; place: string }> = [];
  for (const d of deliveries.loaded(rot.credentialId)) {
    const dctx = deliveries.contextFor(d.row, rot.actingCredentialId);
    const mark = { deliveryId: d.row.id, kind: d.kind.id, place: d.place };
    const fail = (code: string, cause: string, diagnosis: Diagnosis | null = null) => {
      deliveries.recordWrite(d, deliveryOutcome(ctx.now(), false, key.accessKeyId, cause, { error: { code, message: cause }, diagnosis }), rot.id);
      return deliveryFailure(rot, d, code, cause, diagnosis);
    };
    if (saved.get(d.row.id)?.state === 'WRITTEN') {
      done.push(mark);
      continue;
    }
    try {
      // What it holds now, sealed before the write; a resume never saves again (it may hold the new key by then).
      if (!saved.has(d.row.id)) {
        const previous = await d.kind.save(dctx, d.config);
        ctx.vault.tx(() => deliveries.repo.save(rot.id, { id: d.row.id, kind: d.kind.id, config: d.row.config }, previous, ctx.now()));
      }
    } catch (e) {
      throw fail(...failed(ctx, d, e, 'Reading what it holds before the write failed: '));
    }
    await ctx.faults.at('apply:saved');
    try {
      await d.kind.write(dctx, d.config, key);
    } catch (e) {
      throw fail(...failed(ctx, d, e, ''));
    }
    await ctx.faults.at('apply:written');
    let held;
    try {
      held = await d.kind.readBack(dctx, d.config);
    } catch (e) {
      throw fail(...failed(ctx, d, e, 'It was written, but reading it back failed: '));
    }
    if (!holdsKey(held, key)) {
      const what = held?.accessKeyId ? maskKeyId(held.accessKeyId) : held ? 'another secret' : 'no key';
      throw fail('DeliveryMismatch', `${d.place} was written, but reads back ${what}, not the new key ${maskKeyId(key.accessKeyId)}: something else writes it too.`, {
        cause: `${d.place} does not keep the key Keyward writes (another program or a sync tool may write it).`,
        remedy: ['Find what else writes it and stop it, or remove this delivery (keyward delivery remove ID).'],
        test: d.kind.testCommand(d.config),
        link: null,
      });
    }
    if (d.kind.check && held?.accessKeyId && held.secretAccessKey) {
      const verdict = await d.kind.check(dctx, d.config, key);
      if (!verdict.ok) throw fail(verdict.error.code, `${d.place} holds the new key, but its check failed: ${verdict.error.message}`, verdict.diagnosis);
    }
    const outcome = deliveryOutcome(ctx.now(), true, key.accessKeyId, `Wrote the new key to ${d.place}; it reads back${d.kind.check ? ' and works' : ''}.`);
    ctx.vault.tx(() => {
      deliveries.repo.setSavedState(rot.id, d.row.id, 'WRITTEN', outcome.at);
      deliveries.repo.recordCheck(d.row.id, outcome);
    });
    deliveries.recordWrite(d, outcome, rot.id);
    done.push(mark);
  }
  return done;
}

/** Puts back what each delivery held before this rotation wrote it, the last written first. */
export async function restoreDeliveries(ctx: RotationContext, rot: Rotation): Promise<void> {
  const deliveries = ctx.deliveries;
  for (const s of deliveries.repo.savedBy(rot.id).reverse()) {
    if (s.state === 'RESTORED') continue;
    const d = deliveries.load({ id: s.deliveryId, credentialId: rot.credentialId, kind: s.kind, config: s.config, writerCredentialId: deliveries.repo.get(s.deliveryId)?.writerCredentialId ?? null });
    try {
      await d.kind.restore(deliveries.contextFor(d.row, rot.actingCredentialId), d.config, deliveries.repo.previous(rot.id, s.deliveryId));
    } catch (e) {
      throw deliveryFailure(rot, d, ...failed(ctx, d, e, `Restoring ${d.place} failed: `), 'rollback');
    }
    const at = ctx.now();
    ctx.vault.tx(() => {
      deliveries.repo.setSavedState(rot.id, s.deliveryId, 'RESTORED', at);
      if (deliveries.repo.get(s.deliveryId))
        deliveries.repo.recordWrite(s.deliveryId, deliveryOutcome(at, true, rot.oldAccessKeyId, `Rolled back: ${d.place} holds what it held before rotation ${rot.id.slice(0, 8)}.`));
      ctx.audit.append('delivery.restored', {
        credentialId: rot.credentialId,
        details: { rotationId: rot.id, deliveryId: s.deliveryId, kind: s.kind, place: d.place, accessKeyId: rot.oldAccessKeyId ? maskKeyId(rot.oldAccessKeyId) : null },
      });
    });
  }
}
