// What each step of the wizard does, in the admin's words, and the AWS calls behind it.
export const STEP_INFO: ReadonlyArray<{ name: string; title: string; does: string; aws: string }> = [
  { name: 'find-user', title: 'Find the IAM user', does: 'Who acts: the credential itself, or an admin credential on a named user.', aws: 'sts:GetCallerIdentity' },
  { name: 'check-keys', title: 'Check key status', does: 'The user’s keys, their age and last use. AWS allows two.', aws: 'iam:ListAccessKeys, iam:GetAccessKeyLastUsed' },
  { name: 'delete-chosen-key', title: 'Delete the chosen key', does: 'Only when the user already has two keys: the one you chose is deleted first.', aws: 'iam:DeleteAccessKey' },
  { name: 'create-key', title: 'Create the new key', does: 'Its secret is sealed into the journal in the same transaction, before anything else.', aws: 'iam:CreateAccessKey' },
  { name: 'wait-for-key', title: 'Wait for it to work', does: 'IAM is eventually consistent: the new key is tried until AWS accepts it (up to about a minute).', aws: 'sts:GetCallerIdentity' },
  { name: 'apply', title: 'Apply', does: 'The credential and every System Parameter bound to it switch to the new key, atomically.', aws: '(no AWS call)' },
  { name: 'deactivate-old', title: 'Deactivate the old key', does: 'The old key is made Inactive: it can be reactivated until it is deleted.', aws: 'iam:UpdateAccessKey' },
  { name: 'delete-old', title: 'Delete the old key', does: 'The old key is deleted. Done: no rollback after this.', aws: 'iam:DeleteAccessKey' },
];
