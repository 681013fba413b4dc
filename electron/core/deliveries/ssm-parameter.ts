import { z } from 'zod';
import { ssmSdk } from '../providers/aws/sdk';
import { awsPlaceConfig, callSecrets, keyFromJson, mergeKeyJson, placeConfig, placeFailure, placeNameChars, placeRegion, type PlaceCall } from './aws-place';
import { defineKind, type DeliveryContext, type DeliveryStatement, type PolicyTarget } from './kind';
import { checkHeldKey } from './local-file';

// An AWS Systems Manager Parameter Store SecureString holding the key as one JSON object,
// {"accessKeyId": …, "secretAccessKey": …} (or the field names the admin maps), every other
// field of the object kept. One parameter, so a reader never sees the id of one key with
// the secret of another. Written with Overwrite (the previous value is saved first, for
// rollback) under the admin's KMS key or the account's alias/aws/ssm; read back
// WithDecryption, as the application reads it.

const ConfigSchema = z.object({
  name: z
    .string()
    .min(1)
    .max(placeNameChars)
    .regex(/^[a-zA-Z0-9_.\-/]+$/, 'a parameter name is letters, digits and _ . - /')
    .refine((n) => !n.includes('/') || n.startsWith('/'), 'a parameter path starts with /'),
  /** A KMS key id, key ARN, alias or alias ARN; the account's alias/aws/ssm when absent. */
  kmsKeyId: z.string().min(1).max(placeNameChars).optional(),
  ...awsPlaceConfig,
});
type Config = z.output<typeof ConfigSchema>;

type ParameterType = 'String' | 'StringList' | 'SecureString';

/** What the parameter held: its type and value (null when it did not exist). */
interface Previous {
  type: ParameterType;
  value: string;
}

const DEFAULT_KEY = 'alias/aws/ssm';

const place = (c: Config) => `SSM parameter ${c.name}`;

function testCommand(c: Config): string {
  return `aws ssm get-parameter --name ${c.name} --with-decryption${c.region ? ` --region ${c.region}` : ''}`;
}

function call(ctx: DeliveryContext, c: Config, step: string, operation: string, ...secrets: Array<string | null | undefined>): PlaceCall {
  return {
    step: `${step} ${place(c)}`,
    operation,
    permission: `ssm:${operation}`,
    fill: { name: c.name, region: placeRegion(ctx, c.region), keyId: c.kmsKeyId ?? DEFAULT_KEY },
    test: testCommand(c),
    secrets: callSecrets(ctx, ...secrets),
  };
}

async function client(ctx: DeliveryContext, c: Config) {
  const sdk = await ssmSdk();
  return { sdk, ssm: new sdk.SSMClient(placeConfig(ctx, c.region)) };
}

const isNotFound = (e: unknown): boolean => (e as { name?: string } | null)?.name === 'ParameterNotFound';

/** The parameter as the application reads it (decrypted); null when there is none. */
async function current(ctx: DeliveryContext, c: Config, step: string): Promise<Previous | null> {
  const { sdk, ssm } = await client(ctx, c);
  try {
    const out = await ssm.send(new sdk.GetParameterCommand({ Name: c.name, WithDecryption: true }));
    const p = out.Parameter;
    return p?.Value !== undefined && p.Type ? { type: p.Type as ParameterType, value: p.Value } : null;
  } catch (e) {
    if (isNotFound(e)) return null;
    throw placeFailure(call(ctx, c, step, 'GetParameter'), e);
  }
}

/** The key the place holds, as the application reads it. */
async function readKey(ctx: DeliveryContext, c: Config) {
  return keyFromJson((await current(ctx, c, 'Read back'))?.value, c);
}

async function put(ctx: DeliveryContext, c: Config, step: string, type: ParameterType, value: string, ...secrets: Array<string | null | undefined>): Promise<void> {
  const { sdk, ssm } = await client(ctx, c);
  try {
    await ssm.send(
      new sdk.PutParameterCommand({
        Name: c.name,
        Value: value,
        Type: type,
        ...(type === 'SecureString' && c.kmsKeyId ? { KeyId: c.kmsKeyId } : {}),
        Overwrite: true,
      }),
    );
  } catch (e) {
    throw placeFailure(call(ctx, c, step, 'PutParameter', value, ...secrets), e);
  }
}

/** The ARN IAM names a parameter by: a path's leading slash is the ARN's. */
const parameterArn = (t: PolicyTarget, region: string, name: string) => `arn:${t.partition}:ssm:${region}:${t.account ?? '*'}:parameter${name.startsWith('/') ? '' : '/'}${name}`;

/** The KMS key a SecureString needs kms:Encrypt/Decrypt on; none for the AWS-managed key (SSM uses it for the caller). */
function kmsArn(t: PolicyTarget, region: string, keyId: string | undefined): string | null {
  if (!keyId || keyId === DEFAULT_KEY || /:alias\/aws\//.test(keyId)) return null;
  if (keyId.startsWith('arn:') && keyId.includes(':key/')) return keyId;
  // An alias names no key in a policy: any key of the account, which the admin can narrow.
  const key = keyId.startsWith('alias/') || keyId.includes(':alias/') ? '*' : keyId;
  return `arn:${t.partition}:kms:${region}:${t.account ?? '*'}:key/${key}`;
}

export const ssmParameterKind = defineKind<Config, Previous>({
  id: 'ssm-parameter',
  title: 'SSM Parameter Store',
  configSchema: ConfigSchema,
  describe: (c) => `SecureString ${c.name}${c.region ? ` in ${c.region}` : ''}${c.kmsKeyId ? ` (KMS key ${c.kmsKeyId})` : ''}`,
  testCommand,

  awsActions(c, target): DeliveryStatement[] {
    const region = c.region ?? target.region;
    const statements: DeliveryStatement[] = [{ actions: ['ssm:GetParameter', 'ssm:PutParameter', 'ssm:DeleteParameter'], resource: parameterArn(target, region, c.name) }];
    const key = kmsArn(target, region, c.kmsKeyId);
    if (key) statements.push({ actions: ['kms:Encrypt', 'kms:Decrypt'], resource: key });
    return statements;
  },

  save: (ctx, c) => current(ctx, c, 'Save what is in'),

  async write(ctx, c, key) {
    const held = await current(ctx, c, 'Write the key to');
    const value = mergeKeyJson(held?.value ?? null, key, c, place(c));
    await put(ctx, c, 'Write the key to', 'SecureString', value, key.secretAccessKey, held?.value);
  },

  readBack: readKey,

  /** The value (and type) it had goes back; a parameter Keyward created goes. */
  async restore(ctx, c, previous) {
    if (previous) {
      await put(ctx, c, 'Restore', previous.type, previous.value);
      return;
    }
    const { sdk, ssm } = await client(ctx, c);
    try {
      await ssm.send(new sdk.DeleteParameterCommand({ Name: c.name }));
    } catch (e) {
      if (!isNotFound(e)) throw placeFailure(call(ctx, c, 'Remove', 'DeleteParameter'), e);
    }
  },

  /** The key the parameter holds, as the application would use it, tried with STS. */
  async check(ctx, c) {
    const cause = `${place(c)} holds no ${c.idField} and ${c.secretField}.`;
    return checkHeldKey(ctx, await readKey(ctx, c), { code: 'NoKeyInParameter', cause, test: testCommand(c) });
  },
});
