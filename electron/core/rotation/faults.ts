import type { RotationStepName } from '../../../shared/rotation-steps';

// The rotation's fault port. The runner awaits it before each step, after each step's AWS
// calls (before the journal write), and at the two points of a rollback; the apply step
// after switching the credential and around each delivery's write (deliver.ts). Production passes
// none; tests pass one that throws, waits for ever (so the process can be killed there) or
// counts. No environment variable reaches it.

export type FaultPoint =
  | `before:${RotationStepName}`
  | `after:${RotationStepName}`
  | 'rollback:reactivated'
  | 'rollback:restored'
  /** The credential holds the new key; no delivery written yet. */
  | 'apply:switched'
  /** A delivery's previous value is sealed in the journal; the new key not yet written there. */
  | 'apply:saved'
  /** A delivery holds the new key; the journal does not know yet. */
  | 'apply:written';

export interface FaultPort {
  at(point: FaultPoint): Promise<void>;
}

export const NO_FAULTS: FaultPort = { at: () => Promise.resolve() };
