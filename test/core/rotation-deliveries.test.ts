// A rotation writes every delivery in its apply step and checks each before the old key is
// deactivated: real files in temp folders, the AWS test server. A failing place stops the
// rotation with the old key still Active and a diagnosis; a rollback (also after a stop
// between a place's write and its record) puts every place back; a fleet run delivers
// every key.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { deliveryFiles } from '../../electron/core/deliveries/local-file';
import { DeliveryService } from '../../electron/core/deliveries/service';
import { systemClock } from '../../electron/core/ports/clock';
import { silentLogger } from '../../electron/core/ports/logger';
import type { FileWriter } from '../../electron/core/file-replace';
import type { FaultPoint } from '../../electron/core/rotation/faults';
import { awsKeyCredential, useAwsTestServer, vaultWithDeliveries } from '../support/deliveries';
import { tempDir } from '../support/fixtures';

const server = useAwsTestServer();
let t: Awaited<ReturnType<typeof vaultWithDeliveries>>;
const DAY = 86_400_000;

beforeEach(async () => {
  server().faults.clear();
  t = await vaultWithDeliveries();
});

/** A credential with a profile, a .env and bound parameters as its deliveries, and the files' first text. */
async function withDeliveries(name = 'app', opts: { createDate?: Date } = {}) {
  const made = awsKeyCredential(server(), t.credentials, name, opts);
  const dir = tempDir();
  const profileFile = join(dir, 'credentials');
  const envFile = join(dir, '.env');
  const profileText = `# keep me\n[default]\nregion = eu-west-1\n\n[${name}]\naws_access_key_id = ${made.key.accessKeyId}\naws_secret_access_key = ${made.key.secretAccessKey}\n`;
  const envText = `PORT=8080\nAWS_ACCESS_KEY_ID=${made.key.accessKeyId}\nAWS_SECRET_ACCESS_KEY=${made.key.secretAccessKey}\n`;
  writeFileSync(profileFile, profileText, { mode: 0o600 });
  writeFileSync(envFile, envText, { mode: 0o600 });
  const profile = await t.deliveries.add({ credentialId: made.cred.id, kind: 'aws-profile', config: { file: profileFile, profile: name } });
  const env = await t.deliveries.add({ credentialId: made.cred.id, kind: 'dotenv', config: { file: envFile } });
  t.params.bind(`KEY_${made.userName}`, made.cred.id, 'accessKeyId');
  return { ...made, profileFile, envFile, profileText, envText, profile, env };
}

function activeKeys(userName: string) {
  return server()
    .state.listAccessKeys(userName)
    .filter((k) => k.status === 'Active')
    .map((k) => k.accessKeyId);
}

describe('apply writes every delivery, then the old key goes', { timeout: 60_000 }, () => {
  it('writes, reads back and checks each place; the journal and the audit name them, never a secret', async () => {
    const d = await withDeliveries();
    const engine = t.engine();
    const plan = await engine.plan(d.cred.id);
    expect(plan.deliveries).toEqual([
      `AWS credentials profile: [app] in ${d.profileFile}`,
      `.env file: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in ${d.envFile}`,
      `System Parameters: KEY_${d.userName}`,
    ]);
    const rot = await engine.start(plan);
    expect(rot.state).toBe('DONE');
    const newSecret = server().state.getAccessKey(rot.newAccessKeyId!)!.secretAccessKey;
    expect(readFileSync(d.profileFile, 'utf8')).toBe(d.profileText.replace(d.key.accessKeyId, rot.newAccessKeyId!).replace(d.key.secretAccessKey, newSecret));
    expect(readFileSync(d.envFile, 'utf8')).toBe(`PORT=8080\nAWS_ACCESS_KEY_ID=${rot.newAccessKeyId}\nAWS_SECRET_ACCESS_KEY=${newSecret.replace(/^(.*[^\w./:@-].*)$/, (s) => JSON.stringify(s))}\n`);
    expect(t.params.get(`KEY_${d.userName}`).value).toBe(rot.newAccessKeyId);
    expect(activeKeys(d.userName)).toEqual([rot.newAccessKeyId]);

    const apply = rot.steps.find((s) => s.name === 'apply')!;
    expect((apply.details.deliveries as Array<{ kind: string }>).map((x) => x.kind)).toEqual(['aws-profile', 'dotenv', 'system-parameters']);
    for (const view of t.deliveries.list(d.cred.id)) {
      expect(view.lastWrite).toMatchObject({ ok: true, accessKeyId: `${rot.newAccessKeyId!.slice(0, 4)}************${rot.newAccessKeyId!.slice(-4)}` });
      expect(view.lastCheck?.detail).toMatch(/reads back and works/);
    }
    const written = t.audit.list({ action: 'delivery.written' });
    expect(written.map((e) => e.details.rotationId)).toEqual([rot.id, rot.id, rot.id]);
    const everything = JSON.stringify([rot, t.audit.list({ credentialId: d.cred.id }), t.deliveries.list()]);
    expect(everything).not.toContain(newSecret);
    expect(everything).not.toContain(d.key.secretAccessKey);
    // A finished rotation keeps nothing sealed of the places it wrote.
    expect(t.vault.db.prepare('SELECT count(*) FROM rotation_deliveries WHERE previous IS NOT NULL').pluck().get()).toBe(0);
  });

  it('a place that cannot be written stops the rotation before the deactivation, old key Active, with cause, remedy and test; rollback restores every place', async () => {
    const d = await withDeliveries();
    chmodSync(d.envFile, 0o400);
    const engine = t.engine();
    const calls = server().requests.length;
    await expect(engine.start(await engine.plan(d.cred.id))).rejects.toThrow(/read-only \(mode 0400\)/);
    const [rot] = engine.listOpen();
    expect(rot.phase).toBe('wait-for-key');
    expect(rot.error).toMatchObject({
      step: 'apply',
      operation: `.env file: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in ${d.envFile}`,
      error: { code: 'CONFLICT' },
      diagnosis: { cause: expect.stringMatching(/chmod u\+w/), test: `(set -a; . ${d.envFile}; aws sts get-caller-identity)` },
    });
    expect(rot.error!.diagnosis.remedy.join(' ')).toContain(`keyward rotate --resume ${rot.id}`);
    expect(server().state.getAccessKey(d.key.accessKeyId)!.status).toBe('Active');
    expect(
      server()
        .requests.slice(calls)
        .some((r) => r.action === 'UpdateAccessKey'),
    ).toBe(false);
    // The profile was written before the .env failed; the .env is as it was.
    expect(readFileSync(d.profileFile, 'utf8')).toContain(rot.newAccessKeyId!);
    expect(readFileSync(d.envFile, 'utf8')).toBe(d.envText);
    expect(t.deliveries.list(d.cred.id).find((x) => x.kind === 'dotenv')!.lastWrite).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });

    const back = await engine.rollback(rot.id);
    expect(back.state).toBe('ROLLED_BACK');
    expect(readFileSync(d.profileFile, 'utf8')).toBe(d.profileText);
    expect(readFileSync(d.envFile, 'utf8')).toBe(d.envText);
    expect(t.params.get(`KEY_${d.userName}`).value).toBe(d.key.accessKeyId);
    expect(activeKeys(d.userName)).toEqual([d.key.accessKeyId]);
    // The parameters come after the .env, so they were never reached; the .env was saved, then refused.
    expect(
      t.audit
        .list({ action: 'delivery.restored' })
        .map((e) => e.details.kind)
        .sort(),
    ).toEqual(['aws-profile', 'dotenv']);
  });

  it('a place that reads back another key stops the rotation with the mismatch named; fixed, a resume finishes', async () => {
    const d = await withDeliveries();
    let sabotage = true;
    // A sync tool that puts the old text back the moment Keyward writes the .env.
    const files: FileWriter = {
      writeBackup: deliveryFiles.writeBackup,
      writeAtomic: (file, text, mode) => deliveryFiles.writeAtomic(file, sabotage && file === d.envFile ? d.envText : text, mode),
    };
    const sabotaged = vaultWithDeliveriesSharing(files);
    await expect(sabotaged.start(await sabotaged.plan(d.cred.id))).rejects.toThrow(/does not keep the key Keyward writes/);
    const [rot] = sabotaged.listOpen();
    expect(rot.error).toMatchObject({
      step: 'apply',
      error: { code: 'DeliveryMismatch', message: expect.stringMatching(/reads back AKIA\*+.{4}, not the new key/) },
      diagnosis: { cause: expect.stringMatching(/another program or a sync tool/) },
    });
    expect(server().state.getAccessKey(d.key.accessKeyId)!.status).toBe('Active');
    sabotage = false;
    const done = await sabotaged.resume(rot.id);
    expect(done.state).toBe('DONE');
    expect(readFileSync(d.envFile, 'utf8')).toContain(done.newAccessKeyId!);
    expect(activeKeys(d.userName)).toEqual([done.newAccessKeyId]);
  });

  for (const point of ['apply:switched', 'apply:saved', 'apply:written', 'after:apply'] as FaultPoint[]) {
    it(`stopped at ${point}, a resume finishes and a rollback restores every place`, async () => {
      for (const then of ['resume', 'rollback'] as const) {
        const d = await withDeliveries(`app-${then}`);
        // The per-place points stop at the second place (the .env, once the profile is written).
        const nth = point === 'apply:saved' || point === 'apply:written' ? 2 : 1;
        let hits = 0;
        const stopper = t.engine({
          faults: {
            at: async (p) => {
              if (p === point && ++hits === nth) throw new Error(`killed at ${point}`);
            },
          },
        });
        await expect(stopper.start(await stopper.plan(d.cred.id))).rejects.toThrow(`killed at ${point}`);
        const [open] = t
          .engine()
          .listOpen()
          .filter((r) => r.credentialId === d.cred.id);
        if (then === 'resume') {
          const done = await t.engine().resume(open.id);
          expect(done.state).toBe('DONE');
          expect(readFileSync(d.profileFile, 'utf8')).toContain(done.newAccessKeyId!);
          expect(readFileSync(d.envFile, 'utf8')).toContain(done.newAccessKeyId!);
          expect(activeKeys(d.userName)).toEqual([done.newAccessKeyId]);
        } else {
          const back = await t.engine().rollback(open.id);
          expect(back.state).toBe('ROLLED_BACK');
          expect(readFileSync(d.profileFile, 'utf8')).toBe(d.profileText);
          expect(readFileSync(d.envFile, 'utf8')).toBe(d.envText);
          expect(activeKeys(d.userName)).toEqual([d.key.accessKeyId]);
          expect(t.credentials.repo.get(d.cred.id)!.fields.accessKeyId).toBe(d.key.accessKeyId);
        }
      }
    });
  }
});

describe('a fleet run delivers every key', { timeout: 120_000 }, () => {
  it('rotates 12 due keys with their deliveries: every place holds its new key, every user one Active key', async () => {
    const all = [];
    for (let i = 0; i < 12; i++) all.push(await withDeliveries(`fleet-${i}`, { createDate: new Date(Date.now() - 120 * DAY) }));
    server().config.latencyMs = 3;
    server().faults.add({ service: 'iam', kind: 'throttle', times: 4 });
    const engine = t.engine();
    const planned = await engine.fleet.plan();
    expect(planned.view.due.every((k) => k.deliveries.length === 3)).toBe(true);
    const summary = await engine.fleet.start(planned).done;
    server().config.latencyMs = 0;
    expect(summary).toMatchObject({ total: 12, rotated: 12, failed: 0 });
    for (const d of all) {
      const [active] = activeKeys(d.userName);
      expect(activeKeys(d.userName)).toHaveLength(1);
      expect(t.credentials.repo.get(d.cred.id)!.fields.accessKeyId).toBe(active);
      const secret = server().state.getAccessKey(active)!.secretAccessKey;
      const results = await t.deliveries.test(d.cred.id);
      expect(results.map((r) => r.lastCheck?.ok)).toEqual([true, true, true]);
      expect(readFileSync(d.profileFile, 'utf8')).toContain(`aws_secret_access_key = ${secret}`);
    }
  });
});

/** An engine over the same vault whose deliveries write through `files`. */
function vaultWithDeliveriesSharing(files: FileWriter) {
  const deliveries = new DeliveryService(t.vault, t.credentials, t.params.repo, t.audit, { clock: systemClock, log: silentLogger, check: { timeoutMs: 5000, maxAttempts: 2 }, files });
  return t.engine({ deliveries });
}
