// The steps of an AWS key rotation, in the order they run, in the admin's words, with the
// AWS actions each one calls. One table: the wizard lists it, core's runner attaches a
// `run` to each name (electron/core/rotation/steps.ts), and the IAM policy generator
// grants exactly the actions it names.

export const ROTATION_STEPS = ['find-user', 'check-keys', 'delete-chosen-key', 'create-key', 'wait-for-key', 'apply', 'deactivate-old', 'delete-old'] as const;
export type RotationStepName = (typeof ROTATION_STEPS)[number];

export interface RotationStepInfo {
  name: RotationStepName;
  title: string;
  /** What the step does, for the wizard's pending line. */
  does: string;
  /** The AWS actions the step calls (IAM permission names). */
  awsActions: readonly string[];
}

const INFO: { [K in RotationStepName]: Omit<RotationStepInfo, 'name'> } = {
  'find-user': { title: 'Find the IAM user', does: 'Who acts: the credential itself, or an admin credential on a named user.', awsActions: ['sts:GetCallerIdentity'] },
  'check-keys': { title: 'Check key status', does: 'The user’s keys, their age and last use. AWS allows two.', awsActions: ['iam:ListAccessKeys', 'iam:GetAccessKeyLastUsed'] },
  'delete-chosen-key': {
    title: 'Delete the chosen key',
    does: 'Only when the user already has two keys: the one you chose is deleted first.',
    awsActions: ['iam:ListAccessKeys', 'iam:DeleteAccessKey'],
  },
  'create-key': {
    title: 'Create the new key',
    does: 'Its secret is sealed into the journal in the same transaction, before anything else.',
    awsActions: ['iam:ListAccessKeys', 'iam:CreateAccessKey'],
  },
  'wait-for-key': { title: 'Wait for it to work', does: 'IAM is eventually consistent: the new key is tried until AWS accepts it (up to about a minute).', awsActions: ['sts:GetCallerIdentity'] },
  apply: { title: 'Apply', does: 'The credential and every System Parameter bound to it switch to the new key, atomically.', awsActions: [] },
  'deactivate-old': { title: 'Deactivate the old key', does: 'The old key is made Inactive: it can be reactivated until it is deleted.', awsActions: ['iam:ListAccessKeys', 'iam:UpdateAccessKey'] },
  'delete-old': { title: 'Delete the old key', does: 'The old key is deleted. Done: no rollback after this.', awsActions: ['iam:DeleteAccessKey'] },
};

/** The table, in running order. */
export const ROTATION_STEP_TABLE: readonly RotationStepInfo[] = ROTATION_STEPS.map((name) => ({ name, ...INFO[name] }));

/** A rollback reactivates the old key and deletes the new one. */
const ROTATION_ROLLBACK_ACTIONS: readonly string[] = ['iam:ListAccessKeys', 'iam:UpdateAccessKey', 'iam:DeleteAccessKey'];

/** Every AWS action a rotation (with its rollback) may call, once each, in step order. */
export function rotationAwsActions(): string[] {
  return [...new Set([...ROTATION_STEP_TABLE.flatMap((s) => s.awsActions), ...ROTATION_ROLLBACK_ACTIONS])];
}

/** What the admin chose in the plan when the user already has two keys. */
export interface DeleteChoice {
  deleteFirstKeyId?: string;
  /** The admin's explicit word that the chosen key may be deleted although it is Active. */
  confirmActive?: boolean;
}

/** The parts of a plan the two-key rule reads. */
interface ChoicePlan {
  userName: string;
  needsDeleteChoice: boolean;
  keys: ReadonlyArray<{ accessKeyId: string; status: 'Active' | 'Inactive'; isCredentialKey: boolean }>;
}

/**
 * Why a rotation cannot start with this choice, or null when it can. One rule for the
 * core (which refuses), the CLI (which refuses before asking --yes) and the wizard (which
 * says why Start is disabled).
 */
export function choiceProblem(plan: ChoicePlan, choice: DeleteChoice): { code: 'CONFLICT' | 'INVALID_INPUT'; message: string } | null {
  const id = choice.deleteFirstKeyId;
  if (!id) {
    if (!plan.needsDeleteChoice) return null;
    const inactive = plan.keys.filter((k) => k.status === 'Inactive' && !k.isCredentialKey).map((k) => k.accessKeyId);
    return {
      code: 'CONFLICT',
      message: `IAM user ${plan.userName} already has two access keys, and AWS allows two. Choose one to delete first${inactive.length ? ` (inactive: ${inactive.join(', ')})` : ''}: keyward rotate CRED --delete-first KEY_ID. Nothing was changed.`,
    };
  }
  const key = plan.keys.find((k) => k.accessKeyId === id);
  if (!key) return { code: 'INVALID_INPUT', message: `IAM user ${plan.userName} has no access key ${id}. Nothing was changed.` };
  if (key.isCredentialKey) return { code: 'INVALID_INPUT', message: `${id} is the key being rotated: choose the other key to delete first. Nothing was changed.` };
  if (key.status === 'Active' && !choice.confirmActive) {
    return {
      code: 'CONFLICT',
      message: `${id} is Active: Keyward never deletes an active key without your explicit confirmation. Deactivate it first, or confirm it interactively. Nothing was changed.`,
    };
  }
  return null;
}
