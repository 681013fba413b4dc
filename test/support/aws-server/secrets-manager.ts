import { randomInt, randomUUID } from 'node:crypto';
import { AwsError } from './errors';
import { booleanMember, epochSeconds, integerMember, jsonService, stringListMember, stringMember, type JsonObject } from './json';
import type { ActionContext, ActionSpec, ServiceDefinition } from './service';

/**
 * AWS Secrets Manager over awsJson1_1 (`X-Amz-Target: secretsmanager.<Op>`): CreateSecret,
 * PutSecretValue, GetSecretValue, DescribeSecret, DeleteSecret and RestoreSecret, per account and
 * region. Versions carry staging labels that move as Secrets Manager documents them: a new
 * AWSCURRENT version pushes the old one to AWSPREVIOUS; ClientRequestToken is the version id
 * and makes a retried write idempotent; a version left without labels is deprecated (kept, up to
 * 100 versions, oldest deprecated dropped first).
 */

export interface SecretVersion {
  versionId: string;
  secretString?: string;
  /** Base64, as the JSON protocol carries blobs. */
  secretBinary?: string;
  stages: string[];
  created: Date;
}

export interface SecretRecord {
  account: string;
  region: string;
  name: string;
  arn: string;
  description?: string;
  kmsKeyId?: string;
  created: Date;
  lastChanged: Date;
  lastAccessed?: Date;
  /** Set by DeleteSecret: when the secret goes for good. Until then it can be restored. */
  deletionDate?: Date;
  versions: SecretVersion[];
}

const CURRENT = 'AWSCURRENT';
const PREVIOUS = 'AWSPREVIOUS';
const VERSIONS_KEPT = 100;
const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

const storeKey = (account: string, region: string, name: string): string => `${account}/${region}/${name}`;

const secretNotFound = (): AwsError => new AwsError(400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
const markedForDeletion = (): AwsError => new AwsError(400, 'InvalidRequestException', "You can't perform this operation on the secret because it was marked for deletion.");

const idRule = { required: true, min: 1, max: 2048 } as const;
const tokenRule = { min: 32, max: 64 } as const;
const stageRule = { min: 1, max: 256 } as const;

function newArn(region: string, account: string, name: string): string {
  let suffix = '';
  for (let i = 0; i < 6; i += 1) suffix += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return `arn:aws:secretsmanager:${region}:${account}:secret:${name}-${suffix}`;
}

/** The secret a SecretId names in the caller's account and region: its name, its ARN, or its ARN without the random suffix. */
function lookup(ctx: ActionContext, secretId: string): SecretRecord | undefined {
  const { secrets } = ctx.state;
  const byName = secrets.get(storeKey(ctx.caller.account, ctx.region, secretId));
  const found =
    byName ?? [...secrets.values()].find((s) => s.account === ctx.caller.account && s.region === ctx.region && secretId.startsWith('arn:') && (s.arn === secretId || s.arn.slice(0, -7) === secretId));
  // A secret whose recovery window has passed is gone, as on AWS.
  if (found?.deletionDate && found.deletionDate.getTime() <= ctx.now.getTime()) {
    secrets.delete(storeKey(found.account, found.region, found.name));
    return undefined;
  }
  return found;
}

function requireLive(ctx: ActionContext, secretId: string): SecretRecord {
  const secret = lookup(ctx, secretId);
  if (!secret) throw secretNotFound();
  if (secret.deletionDate) throw markedForDeletion();
  return secret;
}

/** SecretString / SecretBinary of a write: at most one of them. */
function secretValue(input: JsonObject): { secretString?: string; secretBinary?: string } {
  const secretString = stringMember(input, 'SecretString', { min: 1, max: 65_536, sensitive: true });
  const secretBinary = stringMember(input, 'SecretBinary', { min: 1, max: 87_384, sensitive: true });
  if (secretString !== undefined && secretBinary !== undefined) {
    throw new AwsError(400, 'InvalidParameterException', "You can't specify both a binary secret value and a string secret value in the same secret.");
  }
  return { ...(secretString !== undefined ? { secretString } : {}), ...(secretBinary !== undefined ? { secretBinary } : {}) };
}

const sameValue = (v: SecretVersion, value: { secretString?: string; secretBinary?: string }): boolean => v.secretString === value.secretString && v.secretBinary === value.secretBinary;

/**
 * Attaches `stages` to the new version, taking each label off whichever version held it; moving
 * AWSCURRENT moves AWSPREVIOUS to the version that held AWSCURRENT. The first version of a secret
 * always becomes AWSCURRENT.
 */
function addVersion(secret: SecretRecord, version: SecretVersion, now: Date): void {
  if (secret.versions.length === 0 && !version.stages.includes(CURRENT)) version.stages.push(CURRENT);
  for (const label of version.stages) {
    const holder = secret.versions.find((v) => v.stages.includes(label));
    if (!holder) continue;
    holder.stages = holder.stages.filter((s) => s !== label);
    if (label === CURRENT) {
      for (const v of secret.versions) v.stages = v.stages.filter((s) => s !== PREVIOUS);
      holder.stages.push(PREVIOUS);
    }
  }
  secret.versions.push(version);
  while (secret.versions.length > VERSIONS_KEPT) {
    const oldest = secret.versions.findIndex((v) => v.stages.length === 0);
    if (oldest < 0) break;
    secret.versions.splice(oldest, 1);
  }
  secret.lastChanged = now;
}

/** An action on one secret: its permission, the secret as the refusal's resource, and the SecretId read first. */
const onSecret = (action: string, run: (ctx: ActionContext, secretId: string) => string): ActionSpec => ({
  permission: `secretsmanager:${action}`,
  resource: (ctx) => secretResource(ctx),
  run: (ctx) => run(ctx, stringMember(ctx.input, 'SecretId', idRule)),
});

const CreateSecret: ActionSpec = {
  permission: 'secretsmanager:CreateSecret',
  resource: (ctx) => String(ctx.input.Name ?? ''),
  run: (ctx) => {
    const { input } = ctx;
    const name = stringMember(input, 'Name', { required: true, min: 1, max: 512 });
    if (!/^[a-zA-Z0-9/_+=.@!-]+$/.test(name)) {
      throw new AwsError(400, 'InvalidParameterException', 'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!');
    }
    const token = stringMember(input, 'ClientRequestToken', tokenRule);
    const description = stringMember(input, 'Description', { max: 2048 });
    const kmsKeyId = stringMember(input, 'KmsKeyId', { max: 2048 });
    const value = secretValue(input);
    const existing = lookup(ctx, name);
    if (existing?.deletionDate) {
      throw new AwsError(400, 'InvalidRequestException', "You can't create this secret because a secret with this name is already scheduled for deletion.");
    }
    if (existing) {
      const retried = token === undefined ? undefined : existing.versions.find((v) => v.versionId === token);
      if (retried && sameValue(retried, value)) return JSON.stringify({ ARN: existing.arn, Name: existing.name, VersionId: retried.versionId });
      throw new AwsError(400, 'ResourceExistsException', `The operation failed because the secret ${name} already exists.`);
    }
    const secret: SecretRecord = {
      account: ctx.caller.account,
      region: ctx.region,
      name,
      arn: newArn(ctx.region, ctx.caller.account, name),
      ...(description !== undefined ? { description } : {}),
      ...(kmsKeyId !== undefined ? { kmsKeyId } : {}),
      created: ctx.now,
      lastChanged: ctx.now,
      versions: [],
    };
    let versionId: string | undefined;
    if (value.secretString !== undefined || value.secretBinary !== undefined) {
      versionId = token ?? randomUUID();
      addVersion(secret, { versionId, ...value, stages: [CURRENT], created: ctx.now }, ctx.now);
    }
    ctx.state.secrets.set(storeKey(secret.account, secret.region, name), secret);
    return JSON.stringify({ ARN: secret.arn, Name: name, ...(versionId !== undefined ? { VersionId: versionId } : {}) });
  },
};

const PutSecretValue = onSecret('PutSecretValue', (ctx, secretId) => {
  const { input } = ctx;
  const token = stringMember(input, 'ClientRequestToken', tokenRule) ?? randomUUID();
  const stages = stringListMember(input, 'VersionStages', { minItems: 1, maxItems: 20, item: stageRule }) ?? [CURRENT];
  const value = secretValue(input);
  if (value.secretString === undefined && value.secretBinary === undefined) {
    throw new AwsError(400, 'InvalidRequestException', 'You must provide either SecretString or SecretBinary.');
  }
  const secret = requireLive(ctx, secretId);
  const existing = secret.versions.find((v) => v.versionId === token);
  if (existing) {
    if (!sameValue(existing, value)) {
      throw new AwsError(400, 'ResourceExistsException', "You can't modify an existing version, you can only create a new version.");
    }
    return JSON.stringify({ ARN: secret.arn, Name: secret.name, VersionId: existing.versionId, VersionStages: existing.stages });
  }
  const version: SecretVersion = { versionId: token, ...value, stages: [...new Set(stages)], created: ctx.now };
  addVersion(secret, version, ctx.now);
  return JSON.stringify({ ARN: secret.arn, Name: secret.name, VersionId: version.versionId, VersionStages: version.stages });
});

const GetSecretValue = onSecret('GetSecretValue', (ctx, secretId) => {
  const { input } = ctx;
  const versionId = stringMember(input, 'VersionId', tokenRule);
  const stage = stringMember(input, 'VersionStage', stageRule);
  const secret = requireLive(ctx, secretId);
  let version: SecretVersion | undefined;
  if (versionId !== undefined) {
    version = secret.versions.find((v) => v.versionId === versionId);
    if (!version) throw new AwsError(400, 'ResourceNotFoundException', `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`);
    if (stage !== undefined && !version.stages.includes(stage)) {
      throw new AwsError(400, 'InvalidRequestException', 'You provided a VersionStage that is not associated to the provided VersionId.');
    }
  } else {
    const wanted = stage ?? CURRENT;
    version = secret.versions.find((v) => v.stages.includes(wanted));
    if (!version) throw new AwsError(400, 'ResourceNotFoundException', `Secrets Manager can't find the specified secret value for staging label: ${wanted}`);
  }
  // Secrets Manager records the day of last access, not the moment.
  secret.lastAccessed = new Date(Date.UTC(ctx.now.getUTCFullYear(), ctx.now.getUTCMonth(), ctx.now.getUTCDate()));
  return JSON.stringify({
    ARN: secret.arn,
    Name: secret.name,
    VersionId: version.versionId,
    ...(version.secretString !== undefined ? { SecretString: version.secretString } : {}),
    ...(version.secretBinary !== undefined ? { SecretBinary: version.secretBinary } : {}),
    VersionStages: version.stages,
    CreatedDate: epochSeconds(version.created),
  });
});

const DescribeSecret = onSecret('DescribeSecret', (ctx, secretId) => {
  const secret = lookup(ctx, secretId);
  if (!secret) throw secretNotFound();
  const stages: Record<string, string[]> = {};
  for (const v of secret.versions) if (v.stages.length > 0) stages[v.versionId] = v.stages;
  return JSON.stringify({
    ARN: secret.arn,
    Name: secret.name,
    ...(secret.description !== undefined ? { Description: secret.description } : {}),
    ...(secret.kmsKeyId !== undefined ? { KmsKeyId: secret.kmsKeyId } : {}),
    LastChangedDate: epochSeconds(secret.lastChanged),
    ...(secret.lastAccessed ? { LastAccessedDate: epochSeconds(secret.lastAccessed) } : {}),
    ...(secret.deletionDate ? { DeletedDate: epochSeconds(secret.deletionDate) } : {}),
    VersionIdsToStages: stages,
    CreatedDate: epochSeconds(secret.created),
  });
});

const DeleteSecret = onSecret('DeleteSecret', (ctx, secretId) => {
  const window = integerMember(ctx.input, 'RecoveryWindowInDays');
  const force = booleanMember(ctx.input, 'ForceDeleteWithoutRecovery') ?? false;
  if (window !== undefined && force) {
    throw new AwsError(400, 'InvalidParameterException', "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
  }
  if (window !== undefined && (window < 7 || window > 30)) {
    throw new AwsError(400, 'InvalidParameterException', 'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
  }
  const secret = lookup(ctx, secretId);
  if (!secret) throw secretNotFound();
  if (secret.deletionDate && !force) {
    throw new AwsError(400, 'InvalidRequestException', "You tried to perform the operation on a secret that's currently marked deleted.");
  }
  const deletionDate = force ? ctx.now : new Date(ctx.now.getTime() + (window ?? 30) * 86_400_000);
  if (force) ctx.state.secrets.delete(storeKey(secret.account, secret.region, secret.name));
  else secret.deletionDate = deletionDate;
  return JSON.stringify({ ARN: secret.arn, Name: secret.name, DeletionDate: epochSeconds(deletionDate) });
});

const RestoreSecret = onSecret('RestoreSecret', (ctx, secretId) => {
  const secret = lookup(ctx, secretId);
  if (!secret) throw secretNotFound();
  delete secret.deletionDate;
  return JSON.stringify({ ARN: secret.arn, Name: secret.name });
});

/** What a refusal names: the secret's ARN when it exists, else the SecretId as sent. */
function secretResource(ctx: ActionContext): string {
  const id = typeof ctx.input.SecretId === 'string' ? ctx.input.SecretId : '';
  return lookup(ctx, id)?.arn ?? id;
}

export const secretsmanager: ServiceDefinition = jsonService({
  name: 'secretsmanager',
  version: '2017-10-17',
  targetPrefix: 'secretsmanager',
  messageField: 'Message',
  actions: { CreateSecret, PutSecretValue, GetSecretValue, DescribeSecret, DeleteSecret, RestoreSecret },
});
