import { ROTATION_STEP_TABLE } from '@shared/rotation-steps';

// The wizard's step list: the rotation's one step table (shared with core's runner and the
// IAM policy generator), with the AWS calls of each step as one line.
export const STEP_INFO: ReadonlyArray<{ name: string; title: string; does: string; aws: string }> = ROTATION_STEP_TABLE.map((s) => ({
  name: s.name,
  title: s.title,
  does: s.does,
  aws: s.awsActions.length ? s.awsActions.join(', ') : '(no AWS call)',
}));
