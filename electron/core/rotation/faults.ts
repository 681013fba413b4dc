import type { RotationStepName } from '../../../shared/rotation-steps';

// The rotation's fault port. The runner awaits it before each step, after each step's AWS
// calls (before the journal write), and at the two points of a rollback. Production passes
// none; tests pass one that throws, waits for ever (so the process can be killed there) or
// counts. No environment variable reaches it.

export type FaultPoint = `before:${RotationStepName}` | `after:${RotationStepName}` | 'rollback:reactivated' | 'rollback:restored';

export interface FaultPort {
  at(point: FaultPoint): Promise<void>;
}

export const NO_FAULTS: FaultPort = { at: () => Promise.resolve() };
