import { z } from 'zod';
import { KeywardError } from '../errors';
import { secretsManagerSdk } from '../providers/aws/sdk';
import { awsPlaceConfig, callSecrets, keyFromJson, mergeKeyJson, placeConfig, placeFailure, placeNameChars, placeRegion, requestToken, type PlaceCall } from './aws-place';
import { defineKind, type DeliveryContext, type DeliveryStatement, type PolicyTarget } from './kind';
import { checkHeldKey } from './local-file';

// An AWS Secrets Manager secret holding the key as a JSON object: the two fields
// (accessKeyId / secretAccessKey, or the names the admin maps) are set, every other field of
// the secret is kept. The secret must exist (its KMS key, policy and rotation are the admin's
// to choose); each write is a new version that becomes AWSCURRENT, the previous one moving to
// AWSPREVIOUS as Secrets Manager does. The ClientRequestToken is derived from the key written,
// so a write repeated on resume is the same version, not another one. Rollback puts the
// previous value back as a new AWSCURRENT version.

const ConfigSchema = z.object({
  /** The secret's name or ARN. */
  secretId: z
    .string()
    .min(1)
    .max(placeNameChars)
    .regex(/^[a-zA-Z0-9/_+=.@!:-]+$/, 'a secret name or ARN is letters, digits and / _ + = . @ ! : -'),
  ...awsPlaceConfig,
});
type Config = z.output<typeof ConfigSchema>;

/** The AWSCURRENT version when saved: its id and text (null when the secret had no value yet). */
interface Previous {
  versionId: string;
  secretString: string;
}

const place = (c: Config) => `secret ${c.secretId}`;

function testCommand(c: Config): string {
  return `aws secretsmanager get-secret-value --secret-id ${c.secretId}${c.region ? ` --region ${c.region}` : ''}`;
}

function call(ctx: DeliveryContext, c: Config, step: string, operation: string, ...secrets: Array<string | null | undefined>): PlaceCall {
  return {
    step: `${step} ${place(c)}`,
    operation,
    permission: `secretsmanager:${operation}`,
    fill: { name: c.secretId, region: placeRegion(ctx, c.region) },
    test: testCommand(c),
    secrets: callSecrets(ctx, ...secrets),
  };
}

async function client(ctx: DeliveryContext, c: Config) {
  const sdk = await secretsManagerSdk();
  return { sdk, sm: new sdk.SecretsManagerClient(placeConfig(ctx, c.region)) };
}

/** A secret that exists but has no AWSCURRENT value yet (created empty). */
const hasNoValue = (e: unknown): boolean => {
  const err = (e ?? {}) as { name?: string; message?: string };
  return err.name === 'ResourceNotFoundException' && /secret value for staging label/i.test(err.message ?? '');
};

/** AWSCURRENT as the application reads it; null when the secret has no value yet. A missing secret is a failure. */
async function current(ctx: DeliveryContext, c: Config, step: string): Promise<Previous | null> {
  const { sdk, sm } = await client(ctx, c);
  let out;
  try {
    out = await sm.send(new sdk.GetSecretValueCommand({ SecretId: c.secretId, VersionStage: 'AWSCURRENT' }));
  } catch (e) {
    if (hasNoValue(e)) return null;
    throw placeFailure(call(ctx, c, step, 'GetSecretValue'), e);
  }
  if (out.SecretString === undefined) {
    throw new KeywardError('CONFLICT', `${place(c)} holds a binary value, not a JSON text, so Keyward does not overwrite it: nothing was written. Deliver to a secret that holds JSON text.`);
  }
  return { versionId: out.VersionId ?? '', secretString: out.SecretString };
}

/** The key the place holds, as the application reads it. */
async function readKey(ctx: DeliveryContext, c: Config) {
  return keyFromJson((await current(ctx, c, 'Read back'))?.secretString, c);
}

async function put(ctx: DeliveryContext, c: Config, step: string, value: string, token: string, ...secrets: Array<string | null | undefined>): Promise<void> {
  const { sdk, sm } = await client(ctx, c);
  try {
    await sm.send(new sdk.PutSecretValueCommand({ SecretId: c.secretId, SecretString: value, ClientRequestToken: token }));
  } catch (e) {
    throw placeFailure(call(ctx, c, step, 'PutSecretValue', value, ...secrets), e);
  }
}

/** The ARN IAM names the secret by: as given when it is one, else the name with Secrets Manager's six-character suffix. */
function secretArn(t: PolicyTarget, region: string, secretId: string): string {
  if (secretId.startsWith('arn:')) return secretId;
  return `arn:${t.partition}:secretsmanager:${region}:${t.account ?? '*'}:secret:${secretId}-??????`;
}

export const secretsManagerKind = defineKind<Config, Previous>({
  id: 'secrets-manager',
  title: 'Secrets Manager',
  configSchema: ConfigSchema,
  describe: (c) => {
    const mapped = c.idField !== 'accessKeyId' || c.secretField !== 'secretAccessKey' ? ` (fields ${c.idField}, ${c.secretField})` : '';
    return `secret ${c.secretId}${c.region ? ` in ${c.region}` : ''}${mapped}`;
  },
  testCommand,

  awsActions: (c, target): DeliveryStatement[] => [{ actions: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'], resource: secretArn(target, c.region ?? target.region, c.secretId) }],

  save: (ctx, c) => current(ctx, c, 'Save what is in'),

  async write(ctx, c, key) {
    const held = await current(ctx, c, 'Write the key to');
    const value = mergeKeyJson(held?.secretString ?? null, key, c, place(c));
    await put(ctx, c, 'Write the key to', value, requestToken('keyward-delivery', c.secretId, key.accessKeyId), key.secretAccessKey, held?.secretString);
  },

  readBack: readKey,

  /**
   * The saved value goes back as a new AWSCURRENT version (the token derived from the version
   * it restores, so a repeated rollback is one version). A secret that had no value keeps the
   * one written: Secrets Manager cannot take a value away, and the rollback deletes that key.
   */
  async restore(ctx, c, previous) {
    if (!previous) return;
    const held = await current(ctx, c, 'Restore');
    if (held?.secretString === previous.secretString) return;
    await put(ctx, c, 'Restore', previous.secretString, requestToken('keyward-restore', c.secretId, previous.versionId), held?.secretString);
  },

  /** The key AWSCURRENT holds, as the application would use it, tried with STS. */
  async check(ctx, c) {
    const cause = `${place(c)} holds no ${c.idField} and ${c.secretField} in its AWSCURRENT version.`;
    return checkHeldKey(ctx, await readKey(ctx, c), { code: 'NoKeyInSecret', cause, test: testCommand(c) });
  },
});
