import { catalogOf, type CatalogEntry } from '../../diagnosis/entry';

// AWS's rows of the diagnosis catalog: the seeds' AuthFailure / InvalidClientTokenId /
// AccessDenied rows and their neighbours, the security-group errors, the causes a context
// check establishes (Context.*), and the IAM access-key calls of a rotation.

const IAM_KEYS_DOC = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html';
const STS_TROUBLESHOOT = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot.html';

// prettier-ignore
const AWS_ROWS = catalogOf('AWS', [
  { id: 'aws.invalid-key-id', codes: ['InvalidClientTokenId', 'UnrecognizedClientException', 'InvalidAccessKeyId'], cause: 'AWS does not recognise this access key ID: the key was rotated or deleted, it is inactive, its IAM user was deleted, or it belongs to another partition (GovCloud, China).', remedy: ['In the AWS IAM console open the user’s Security credentials tab and check that this access key exists and is Active.', 'If it was rotated or deleted, create a new access key and Edit this credential with it (or use Rotate key).', 'If the IAM user was deleted, create a new user with the required permissions and a new key.', 'Check that the region belongs to the key’s partition (aws, aws-us-gov, aws-cn).'], link: IAM_KEYS_DOC },
  { id: 'aws.clock-skew', codes: ['SignatureDoesNotMatch', 'RequestTimeTooSkewed', 'RequestExpired', 'InvalidSignatureException'], message: /expired|not yet current|skew|time/i, cause: 'This machine’s clock is too far from AWS’s time (more than 5 minutes), so AWS rejects the request signature.', remedy: ['Turn on automatic time synchronisation (NTP) on this machine and check its time zone.', 'Then Retry.'], link: STS_TROUBLESHOOT },
  { id: 'aws.wrong-secret', codes: ['SignatureDoesNotMatch', 'IncompleteSignature', 'InvalidSignatureException'], cause: 'The secret access key does not belong to this access key ID (a typo, a truncated paste, or the secret of another key).', remedy: ['Edit the credential and paste the secret access key again: it is 40 characters, with no spaces.', 'AWS shows a secret only once: if it is lost, create a new access key and replace this one.'], link: IAM_KEYS_DOC },
  { id: 'aws.auth-failure', codes: ['AuthFailure', 'MissingAuthenticationToken'], cause: 'AWS could not validate the credentials: the key is unknown, inactive, or the secret does not match.', remedy: ['Check that the access key is Active in the IAM console (user → Security credentials).', 'Edit the credential and re-enter the secret access key.', 'Console sign-in uses a password, not an access key: make sure this is an access key pair.'], link: IAM_KEYS_DOC },
  { id: 'aws.access-denied', codes: ['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'UnauthorizedAccess'], cause: 'The key is valid but its IAM policy does not allow this call (a policy too restrictive, an SCP, or a permissions boundary).', remedy: ['Open IAM Policy in Keyward and copy the generated policy.', 'Attach it to the IAM user in the AWS IAM console, wait a minute for IAM to propagate, then Retry.', 'If an organisation SCP or permissions boundary denies it, ask your AWS administrator.'], link: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html' },
  { id: 'aws.expired-token', codes: ['ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired'], cause: 'These are temporary (session) credentials and they have expired.', remedy: ['Store a long-term IAM user access key (AKIA…) instead of session credentials.', 'Or fetch new session credentials and Edit this credential.'], link: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp.html' },
  { id: 'aws.opt-in-region', codes: ['OptInRequired', 'InvalidClientTokenId'], message: /opt.?in|not enabled/i, cause: 'The region is an opt-in region that is not enabled for this account.', remedy: ['Enable the region in the AWS account settings, or pick another region for this credential.'] },
  { id: 'aws.throttled', codes: ['Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException', 'RequestThrottled', 'SlowDown'], cause: 'AWS throttled the requests (too many calls for this account and region), even after retries. This says nothing about the key.', remedy: ['Retry in a minute.', 'Lower the concurrency of Verify all (keyward verify --all --concurrency 4).'] },
  { id: 'aws.server-error', codes: ['InternalFailure', 'InternalError', 'ServiceUnavailable', 'ServiceUnavailableException', 'InternalServerError'], cause: 'AWS answered with a server error, even after retries. This says nothing about the key.', remedy: ['Retry in a few minutes.', 'Check the AWS Health Dashboard for the region.'], link: 'https://health.aws.amazon.com/health/status' },
  // Security-group resources (issue 4). A context check adds the region where the group
  // actually is, when it is in another one.
  { id: 'aws.group-not-found', codes: ['InvalidGroup.NotFound'], cause: 'The security group does not exist in the resource’s region for this account: it was deleted, the id is wrong, or it lives in another region (region mismatch).', remedy: ['Check the group id and the region in the EC2 console (VPC → Security groups), in the region you expect.', 'If the group is in another region, change the resource’s region (or register it again with the right one).', 'If it belongs to another account, register it under a credential of that account.'], link: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html' },
  { id: 'aws.group-id-malformed', codes: ['InvalidGroupId.Malformed'], cause: 'The security group id is not well formed: it is sg- followed by 8 or 17 hex digits.', remedy: ['Copy the group id again from the EC2 console and register the resource with it.'], link: 'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html' },
  // Causes a context check establishes (diagnosis/context.ts), not codes AWS sends: each is
  // reached by a Keyward code `Context.*`. `{…}` placeholders are filled in by the check.
  { id: 'aws.region-mismatch', codes: ['Context.RegionMismatch'], cause: 'Region mismatch: {groupId} exists in {found}, but {whose} region is {region}.', remedy: ['Change the resource’s region to {found} (Keyward can do it: Fix region), then Verify capacity again.', 'Or change the credential’s region if all its groups live in {found}.', 'For groups in several regions, register each group with its own region (or one credential per region).'], test: 'aws ec2 describe-security-groups --group-ids {groupId} --region {found}', link: 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/using-regions-availability-zones.html' },
  { id: 'aws.missing-permission', codes: ['Context.MissingPermission'], cause: 'IAM policy too restrictive: the key is valid, but its IAM policy does not allow {permission}{onResource}.', remedy: ['Attach the policy shown (or the one from the IAM Policy page) to the credential’s IAM user in the IAM console.', 'Wait a minute for IAM to propagate, then Retry.', 'If an organisation SCP or a permissions boundary denies it, ask your AWS administrator.'], link: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html' },
  { id: 'aws.key-inactive', codes: ['Context.KeyInactive'], cause: 'The access key {key} of IAM user {user} is inactive: it was deactivated in IAM (often the step before deleting a rotated key).', remedy: ['If it was deactivated by mistake, reactivate it: aws iam update-access-key --user-name {user} --access-key-id {key} --status Active.', 'If it was rotated, Edit this credential with the new key.', 'Then Retry.', 'Check with an admin profile: aws iam list-access-keys --user-name {user}.'], link: IAM_KEYS_DOC },
  { id: 'aws.key-rotated', codes: ['Context.KeyRotated'], cause: 'The access key {key} was rotated: it is gone from IAM user {user}, which now has {others}.', remedy: ['Edit this credential with the new key (its secret was shown once, when it was created; create another if it is lost).', 'Then Retry.'], link: IAM_KEYS_DOC },
  { id: 'aws.console-only', codes: ['Context.NoAccessKey'], cause: 'The access key {key} is gone (rotated or deleted) and IAM user {user} has no access key at all now: it may still sign in to the console with a password, but console access is not API access.', remedy: ['In the IAM console open the user’s Security credentials tab and create an access key (not a console password).', 'Edit this credential with the new access key ID and secret access key, then Retry.', 'Attach the permissions Keyward needs (IAM Policy page).'], link: IAM_KEYS_DOC },
  { id: 'aws.user-deleted', codes: ['Context.UserDeleted'], cause: 'IAM user {user} no longer exists in account {account}: the user was deleted (or disabled by removing it), and its keys with it.', remedy: ['Create a new IAM user with the permissions from the IAM Policy page, and an access key for it.', 'Edit this credential with the new key (or add a new credential), then Retry.'], link: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_users_manage.html' },
]);

// IAM: the access-key calls of a rotation. `{permission}` is filled in by the caller
// from the operation that failed (rotation/errors.ts); `{user}` with the IAM user.
// prettier-ignore
const IAM_ROWS = catalogOf('AWS', [
  { id: 'iam.access-denied', codes: ['AccessDenied', 'AccessDeniedException'], message: /\biam:\w+/, cause: 'The acting credential is valid but not allowed to call {permission} on the IAM user.', remedy: ['Allow {permission} on the user’s ARN (arn:aws:iam::ACCOUNT:user/{user}) in the acting identity’s IAM policy; Keyward’s IAM Policy page generates it.', 'Or rotate with an admin credential that has it: keyward rotate CRED --as ADMIN --user {user}.', 'Wait a minute for IAM to propagate the policy, then resume the rotation.'], test: 'aws iam list-access-keys --user-name {user}', link: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html#access-keys_required-permissions' },
  { id: 'iam.two-key-limit', codes: ['LimitExceeded', 'LimitExceededException'], cause: 'AWS allows at most two access keys per IAM user, and {user} already has two, so a new key cannot be created.', remedy: ['Choose one of the two keys to delete first: an inactive one, or an active one you know is unused (check its last use).', 'Then resume the rotation; Keyward never deletes an active key without your word.'], test: 'aws iam list-access-keys --user-name {user}', link: IAM_KEYS_DOC },
  { id: 'iam.no-such-user', codes: ['NoSuchEntity', 'NoSuchEntityException'], message: /user with name/i, cause: 'The IAM user {user} does not exist (any more): it was deleted or renamed, or it is in another account.', remedy: ['Check the user in the AWS IAM console (IAM → Users).', 'Start the rotation again naming the right user with --user, or roll this one back.'], test: 'aws iam get-user --user-name {user}', link: IAM_KEYS_DOC },
  { id: 'iam.no-such-key', codes: ['NoSuchEntity', 'NoSuchEntityException'], cause: 'The access key is gone from IAM user {user}: it was deleted outside Keyward, or the user was deleted.', remedy: ['List the user’s keys to see what is left.', 'Resume the rotation: it reconciles with what IAM holds now.'], test: 'aws iam list-access-keys --user-name {user}', link: IAM_KEYS_DOC },
]);

// The AWS places a key is delivered to (deliveries/ssm-parameter.ts, secrets-manager.ts).
// `{permission}` is the call's IAM action, `{name}` the parameter or secret, `{region}` its
// region, `{keyId}` the parameter's KMS key (deliveries/aws-place.ts fills them in).
const SSM_PARAMS_DOC = 'https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-access.html';
const SECRETS_AUTH_DOC = 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access.html';
/** A delivery's writer refused by IAM on one AWS place: what to allow, and the other way out (another writer). */
function writerDenied(service: 'ssm' | 'secretsmanager', place: string, allow: string, addFlags: string, test: string, link: string, extra: string[] = []): CatalogEntry {
  return {
    id: `${service}.access-denied`,
    provider: 'AWS',
    codes: ['AccessDeniedException', 'AccessDenied'],
    message: new RegExp(`\\b${service}:\\w+`),
    cause: `The credential that writes this delivery is valid but not allowed {permission} on ${place} in {region}.`,
    remedy: [
      `Allow ${allow} on its ARN in the writer’s IAM policy: Keyward’s IAM Policy page (keyward policy) adds these statements for each delivery.`,
      ...extra,
      `Or name a writer that has them: keyward delivery add CRED ${addFlags} --as ADMIN_CRED.`,
      'Wait a minute for IAM to propagate the policy, then resume the rotation.',
    ],
    test,
    link,
  };
}

const DELIVERY_ROWS: CatalogEntry[] = [
  writerDenied(
    'ssm',
    'the parameter {name}',
    'ssm:GetParameter, ssm:PutParameter and ssm:DeleteParameter',
    '--kind ssm-parameter --name {name}',
    'aws ssm get-parameter --name {name} --with-decryption --region {region}',
    SSM_PARAMS_DOC,
  ),
  writerDenied(
    'secretsmanager',
    'the secret {name}',
    'secretsmanager:GetSecretValue and secretsmanager:PutSecretValue',
    '--kind secrets-manager --secret-id {name}',
    'aws secretsmanager get-secret-value --secret-id {name} --region {region}',
    SECRETS_AUTH_DOC,
    ['If the secret has a resource policy or a customer-managed KMS key, allow the writer there too (kms:Decrypt and kms:GenerateDataKey on the key).'],
  ),
  {
    id: 'ssm.invalid-key-id',
    provider: 'AWS',
    codes: ['InvalidKeyId'],
    cause: 'Parameter Store does not know the KMS key {keyId} in {region}: the key id, ARN or alias is wrong, the key is in another region or account, or it was deleted or disabled.',
    remedy: [
      'Look the key up in the KMS console (or with the test command) in {region}, and correct the delivery’s KMS key id (remove the delivery and add it again with --kms-key-id).',
      'Leave --kms-key-id out to use the account’s AWS-managed key alias/aws/ssm.',
      'Then resume the rotation.',
    ],
    test: 'aws kms describe-key --key-id {keyId} --region {region}',
    link: 'https://docs.aws.amazon.com/systems-manager/latest/userguide/secure-string-parameter-kms-encryption.html',
  },
  {
    id: 'secretsmanager.not-found',
    provider: 'AWS',
    codes: ['ResourceNotFoundException'],
    message: /can.t find the specified secret\.?$/i,
    cause:
      'There is no secret {name} in {region} for the writer’s account: the name or ARN is wrong, it is in another region or account, or it was deleted. Keyward writes into an existing secret and does not create one.',
    remedy: [
      'Check the name and region in the Secrets Manager console (or with the test command).',
      'If it should exist, create it with the key fields empty: aws secretsmanager create-secret --name {name} --secret-string "{}" --region {region}.',
      'Or correct the delivery (remove it and add it again with the right --secret-id and --region), then resume the rotation.',
    ],
    test: 'aws secretsmanager describe-secret --secret-id {name} --region {region}',
    link: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/troubleshoot.html',
  },
  {
    id: 'secretsmanager.marked-for-deletion',
    provider: 'AWS',
    codes: ['InvalidRequestException'],
    message: /marked for deletion|marked deleted/i,
    cause: 'The secret {name} in {region} is scheduled for deletion, so Secrets Manager refuses to read or write it.',
    remedy: [
      'If it is still used, cancel the deletion: aws secretsmanager restore-secret --secret-id {name} --region {region}.',
      'Otherwise remove this delivery (keyward delivery remove ID), then resume the rotation.',
    ],
    test: 'aws secretsmanager describe-secret --secret-id {name} --region {region}',
    link: 'https://docs.aws.amazon.com/secretsmanager/latest/userguide/manage_restore-secret.html',
  },
];

export const AWS_CATALOG: readonly CatalogEntry[] = [...IAM_ROWS, ...DELIVERY_ROWS, ...AWS_ROWS];
