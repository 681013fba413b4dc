import type { ChannelName } from '../../../shared/contract';
import type { KeywardCore } from '../app/core';
import { KeywardError } from '../errors';
import type { HandlersFor } from '../app/handlers';
import type { Rotation } from './journal';

/**
 * The rotation channels. The window starts a run in the background and follows it through
 * rotation.* events; the CLI asks to `wait` and gets the journal once the run stops.
 */
export function rotationHandlers(core: KeywardCore): HandlersFor<Extract<ChannelName, `rotation.${string}`>> {
  // In the background, a stop is recorded in the journal (and reaches the window as an event).
  const run = (p: Promise<Rotation>, wait: boolean, id: string) => {
    if (wait) return p;
    void p.catch(() => undefined);
    return core.rotations.get(id);
  };
  return {
    'rotation.plan': (r) => core.rotations.plan(r.credentialId, { user: r.user, as: r.as }),
    'rotation.start': async (r) => {
      const plan = await core.rotations.plan(r.credentialId, { user: r.user, as: r.as });
      const id = core.rotations.open(plan, { deleteFirstKeyId: r.deleteFirstKeyId, confirmActive: r.confirmActive });
      return run(core.rotations.resume(id, { holdBeforeDelete: r.holdBeforeDelete }), r.wait, id);
    },
    'rotation.resume': (r) => run(core.rotations.resume(r.id, { holdBeforeDelete: r.holdBeforeDelete }), r.wait, r.id),
    'rotation.rollback': (r) => {
      const rot = core.rotations.get(r.id);
      if (rot.state !== 'IN_PROGRESS') return core.rotations.rollback(r.id); // throws why
      return run(core.rotations.rollback(r.id), r.wait, rot.id);
    },
    'rotation.oldKeyUsage': (r) => core.rotations.oldKeyUsage(r.id),
    'rotation.deleteOrphan': (r) => core.rotations.deleteOrphan(r.id, r.accessKeyId),
    'rotation.get': (r) => core.rotations.get(r.id),
    'rotation.listOpen': () => core.rotations.listOpen(),
    'rotation.lastRotated': () => core.rotations.lastRotated(),
    'rotation.listUsers': (r) => core.rotations.listUsers(r.as, r.filter),
    'rotation.planDue': async (r) => (await core.rotations.fleet.plan(r)).view,
    'rotation.startDue': async (r) => {
      const fleet = core.rotations.fleet;
      const planned = await fleet.plan(r);
      const { runId, done } = fleet.start(planned, { as: r.as, hold: r.hold, concurrency: r.concurrency });
      if (r.wait) return done;
      void done.catch(() => undefined); // each key's stop is in its journal; progress arrives as rotation.run events
      const total = planned.view.due.length;
      return { runId, total, rotated: 0, held: 0, failed: 0, skipped: planned.view.skipped.length, skippedKeys: planned.view.skipped };
    },
    'rotation.resumeRun': async (r) => {
      const run = core.rotations.fleet.findRun(r.id);
      if (!run) throw new KeywardError('NOT_FOUND', `No rotation run with id "${r.id}".`);
      const done = core.rotations.fleet.resume(run.id, { hold: r.hold, concurrency: r.concurrency });
      if (r.wait) return done;
      void done.catch(() => undefined);
      return { runId: run.id, total: run.credentialIds.length, rotated: 0, held: 0, failed: 0, skipped: 0 };
    },
    'rotation.listRuns': () => core.rotations.fleet.runs.listOpen().map((r) => ({ id: r.id, total: r.credentialIds.length, createdAt: r.createdAt })),
  };
}
