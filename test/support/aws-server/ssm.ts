import { AwsError } from './errors';
import { booleanMember, enumMember, epochSeconds, integerMember, jsonService, stringListMember, stringMember, type JsonObject } from './json';
import type { ActionContext, ActionSpec, ServiceDefinition } from './service';
import type { AwsState } from './state';

/**
 * AWS Systems Manager Parameter Store over awsJson1_1 (`X-Amz-Target: AmazonSSM.<Op>`):
 * PutParameter, GetParameter, GetParameters, GetParameterHistory and DeleteParameter, per account
 * and region, with versions (100 kept, the oldest dropped, as Parameter Store does), tiers
 * (Standard 4 KB, Advanced 8 KB, Intelligent-Tiering picking between them, no downgrade) and
 * SecureStrings really encrypted under a KMS key of the server (`alias/aws/ssm` by default).
 */

export type ParameterType = 'String' | 'StringList' | 'SecureString';
export type ParameterTier = 'Standard' | 'Advanced';

export interface ParameterVersion {
  version: number;
  type: ParameterType;
  /** Plain text for String/StringList; a ciphertext blob for SecureString. */
  stored: string;
  /** SecureString only: the KeyId as given (or alias/aws/ssm). */
  keyId?: string;
  description?: string;
  tier: ParameterTier;
  dataType: string;
  lastModified: Date;
  lastModifiedUser: string;
}

export interface ParameterRecord {
  account: string;
  region: string;
  name: string;
  versions: ParameterVersion[];
}

const TYPES: readonly ParameterType[] = ['String', 'StringList', 'SecureString'];
const TIERS = ['Standard', 'Advanced', 'Intelligent-Tiering'] as const;
const STANDARD_MAX = 4096;
const ADVANCED_MAX = 8192;
/** Parameter Store keeps 100 versions of a parameter; the 101st write drops the oldest. */
export const PARAMETER_VERSIONS_KEPT = 100;
const DEFAULT_KEY = 'alias/aws/ssm';

const storeKey = (account: string, region: string, name: string): string => `${account}/${region}/${name}`;

export const parameterArn = (region: string, account: string, name: string): string => `arn:aws:ssm:${region}:${account}:parameter${name.startsWith('/') ? '' : '/'}${name}`;

const INVALID_NAME =
  'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive). If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_';

const notFound = (name: string): AwsError => new AwsError(400, 'ParameterNotFound', `Parameter ${name} not found.`);

/** A name PutParameter accepts: Parameter Store's characters, fully qualified when it is a path, no reserved prefix. */
function checkNewName(name: string): void {
  const bare = name.replace(/^\//, '').toLowerCase();
  if (!/^[a-zA-Z0-9_.\-/]+$/.test(name) || bare.startsWith('aws') || bare.startsWith('ssm')) throw new AwsError(400, 'ValidationException', INVALID_NAME);
  if (name.includes('/') && !name.startsWith('/')) throw new AwsError(400, 'ValidationException', 'Parameter name must be a fully qualified name.');
  if (name.split('/').length - 1 > 15) {
    throw new AwsError(400, 'HierarchyLevelLimitExceededException', 'Parameter name hierarchy is limited to 15 levels.');
  }
}

/** `name` or `name:version` as GetParameter accepts them. */
function splitSelector(raw: string): { name: string; version?: number; selector?: string } {
  const colon = raw.lastIndexOf(':');
  if (colon <= 0) return { name: raw };
  const tail = raw.slice(colon + 1);
  if (!/^\d+$/.test(tail)) return { name: raw };
  return { name: raw.slice(0, colon), version: Number(tail), selector: `:${tail}` };
}

function find(state: AwsState, ctx: ActionContext, name: string): ParameterRecord | undefined {
  return state.parameters.get(storeKey(ctx.caller.account, ctx.region, name));
}

/** The version a `name[:version]` reference picks, or the refusal Parameter Store gives. */
function pick(ctx: ActionContext, raw: string): { record: ParameterRecord; version: ParameterVersion; selector?: string } {
  const { name, version, selector } = splitSelector(raw);
  const record = find(ctx.state, ctx, name);
  if (!record) throw notFound(raw);
  if (version === undefined) return { record, version: record.versions[record.versions.length - 1] };
  const found = record.versions.find((v) => v.version === version);
  if (!found) {
    throw new AwsError(400, 'ParameterVersionNotFound', `Systems Manager could not find version ${version} of ${name}. Verify the version and try again.`);
  }
  return { record, version: found, selector };
}

function valueOf(ctx: ActionContext, v: ParameterVersion, decrypt: boolean): string {
  if (v.type !== 'SecureString' || !decrypt) return v.stored;
  return ctx.state.kms.decrypt(v.stored);
}

function parameterJson(ctx: ActionContext, record: ParameterRecord, v: ParameterVersion, decrypt: boolean, selector?: string): JsonObject {
  return {
    Name: record.name,
    Type: v.type,
    Value: valueOf(ctx, v, decrypt),
    Version: v.version,
    ...(selector ? { Selector: selector } : {}),
    LastModifiedDate: epochSeconds(v.lastModified),
    ARN: parameterArn(record.region, record.account, record.name),
    DataType: v.dataType,
  };
}

const nameRule = { required: true, min: 1, max: 2048 } as const;

function resolveTier(requested: (typeof TIERS)[number] | undefined, previous: ParameterVersion | undefined, length: number): ParameterTier {
  const tier: ParameterTier = requested === 'Intelligent-Tiering' ? (length > STANDARD_MAX || previous?.tier === 'Advanced' ? 'Advanced' : 'Standard') : (requested ?? previous?.tier ?? 'Standard');
  if (previous?.tier === 'Advanced' && tier === 'Standard') {
    throw new AwsError(
      400,
      'ValidationException',
      "This parameter uses the advanced-parameter tier. You can't downgrade a parameter from the advanced-parameter tier to the standard-parameter tier. If necessary, you can delete the advanced parameter and recreate it as a standard parameter.",
    );
  }
  if (tier === 'Standard' && length > STANDARD_MAX) {
    throw new AwsError(
      400,
      'ValidationException',
      'Standard tier parameters support a maximum parameter value of 4096 characters. To create a larger parameter value, upgrade the parameter to use the advanced-parameter tier.',
    );
  }
  if (length > ADVANCED_MAX) {
    throw new AwsError(400, 'ValidationException', 'Advanced tier parameters support a maximum parameter value of 8192 characters.');
  }
  return tier;
}

const PutParameter: ActionSpec = {
  permission: 'ssm:PutParameter',
  resource: (ctx) => parameterArn(ctx.region, ctx.caller.account, String(ctx.input.Name ?? '')),
  run: (ctx) => {
    const { input, state } = ctx;
    const name = stringMember(input, 'Name', nameRule);
    const value = stringMember(input, 'Value', { required: true, min: 1, sensitive: true });
    const type = enumMember(input, 'Type', TYPES);
    const keyIdGiven = stringMember(input, 'KeyId', { min: 1, max: 256 });
    const overwrite = booleanMember(input, 'Overwrite') ?? false;
    const description = stringMember(input, 'Description', { max: 1024 });
    const requestedTier = enumMember(input, 'Tier', TIERS);
    const dataType = stringMember(input, 'DataType', { max: 128 }) ?? 'text';
    const tags = input.Tags;
    if (dataType !== 'text' && dataType !== 'aws:ec2:image' && dataType !== 'aws:ssm:integration') {
      throw new AwsError(400, 'ValidationException', `The following data type is not supported: ${dataType} (Data type names are all lowercase.)`);
    }
    if (overwrite && Array.isArray(tags) && tags.length > 0) {
      throw new AwsError(
        400,
        'ValidationException',
        "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
      );
    }
    checkNewName(name);

    const key = storeKey(ctx.caller.account, ctx.region, name);
    const record = state.parameters.get(key);
    const previous = record?.versions[record.versions.length - 1];
    if (previous && !overwrite) {
      throw new AwsError(400, 'ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
    }
    const finalType = type ?? previous?.type;
    if (!finalType) throw new AwsError(400, 'ValidationException', 'A parameter type is required when you create a parameter.');
    if (keyIdGiven !== undefined && finalType !== 'SecureString') {
      throw new AwsError(400, 'ValidationException', 'KeyId is required for SecureString type parameter only.');
    }
    const tier = resolveTier(requestedTier, previous, value.length);

    let stored = value;
    let keyId: string | undefined;
    if (finalType === 'SecureString') {
      keyId = keyIdGiven ?? (previous?.type === 'SecureString' ? previous.keyId : undefined) ?? DEFAULT_KEY;
      const kmsKey = state.kms.resolve(keyId, ctx.caller.account, ctx.region);
      if (!kmsKey) throw new AwsError(400, 'InvalidKeyId', `Invalid keyId ${keyId}`);
      stored = state.kms.encrypt(kmsKey, value);
    }

    const next: ParameterVersion = {
      version: (previous?.version ?? 0) + 1,
      type: finalType,
      stored,
      ...(keyId !== undefined ? { keyId } : {}),
      ...((description ?? previous?.description) !== undefined ? { description: description ?? previous?.description } : {}),
      tier,
      dataType,
      lastModified: ctx.now,
      lastModifiedUser: ctx.caller.arn,
    };
    if (record) {
      record.versions.push(next);
      if (record.versions.length > PARAMETER_VERSIONS_KEPT) record.versions.shift();
    } else {
      state.parameters.set(key, { account: ctx.caller.account, region: ctx.region, name, versions: [next] });
    }
    return JSON.stringify({ Version: next.version, Tier: tier });
  },
};

const GetParameter: ActionSpec = {
  permission: 'ssm:GetParameter',
  resource: (ctx) => parameterArn(ctx.region, ctx.caller.account, splitSelector(String(ctx.input.Name ?? '')).name),
  run: (ctx) => {
    const raw = stringMember(ctx.input, 'Name', nameRule);
    const decrypt = booleanMember(ctx.input, 'WithDecryption') ?? false;
    const { record, version, selector } = pick(ctx, raw);
    return JSON.stringify({ Parameter: parameterJson(ctx, record, version, decrypt, selector) });
  },
};

const GetParameters: ActionSpec = {
  permission: 'ssm:GetParameters',
  resource: (ctx) => {
    const names = Array.isArray(ctx.input.Names) ? ctx.input.Names : [];
    return parameterArn(ctx.region, ctx.caller.account, splitSelector(String(names[0] ?? '')).name);
  },
  run: (ctx) => {
    const names = stringListMember(ctx.input, 'Names', { required: true, minItems: 1, maxItems: 10, item: { min: 1, max: 2048 } }) ?? [];
    const decrypt = booleanMember(ctx.input, 'WithDecryption') ?? false;
    const parameters: JsonObject[] = [];
    const invalid: string[] = [];
    for (const raw of new Set(names)) {
      try {
        const { record, version, selector } = pick(ctx, raw);
        parameters.push(parameterJson(ctx, record, version, decrypt, selector));
      } catch (error) {
        if (!(error instanceof AwsError)) throw error;
        invalid.push(raw);
      }
    }
    return JSON.stringify({ Parameters: parameters, InvalidParameters: invalid });
  },
};

const GetParameterHistory: ActionSpec = {
  permission: 'ssm:GetParameterHistory',
  resource: (ctx) => parameterArn(ctx.region, ctx.caller.account, String(ctx.input.Name ?? '')),
  run: (ctx) => {
    const name = stringMember(ctx.input, 'Name', nameRule);
    const decrypt = booleanMember(ctx.input, 'WithDecryption') ?? false;
    const max = integerMember(ctx.input, 'MaxResults', { min: 1, max: 50 }) ?? 50;
    const token = stringMember(ctx.input, 'NextToken');
    const record = find(ctx.state, ctx, name);
    if (!record) throw notFound(name);
    const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
    if (!Number.isInteger(start) || start < 0 || start > record.versions.length) {
      throw new AwsError(400, 'InvalidNextToken', "The specified token isn't valid.");
    }
    const slice = record.versions.slice(start, start + max);
    const next = start + slice.length < record.versions.length ? Buffer.from(String(start + slice.length)).toString('base64url') : undefined;
    return JSON.stringify({
      Parameters: slice.map((v) => ({
        Name: record.name,
        Type: v.type,
        ...(v.keyId !== undefined ? { KeyId: v.keyId } : {}),
        LastModifiedDate: epochSeconds(v.lastModified),
        LastModifiedUser: v.lastModifiedUser,
        ...(v.description !== undefined ? { Description: v.description } : {}),
        Value: valueOf(ctx, v, decrypt),
        Version: v.version,
        Labels: [],
        Tier: v.tier,
        Policies: [],
        DataType: v.dataType,
      })),
      ...(next !== undefined ? { NextToken: next } : {}),
    });
  },
};

const DeleteParameter: ActionSpec = {
  permission: 'ssm:DeleteParameter',
  resource: (ctx) => parameterArn(ctx.region, ctx.caller.account, String(ctx.input.Name ?? '')),
  run: (ctx) => {
    const name = stringMember(ctx.input, 'Name', nameRule);
    if (!ctx.state.parameters.delete(storeKey(ctx.caller.account, ctx.region, name))) throw notFound(name);
    return '{}';
  },
};

export const ssm: ServiceDefinition = jsonService({
  name: 'ssm',
  version: '2014-11-06',
  targetPrefix: 'AmazonSSM',
  messageField: 'message',
  actions: { PutParameter, GetParameter, GetParameters, GetParameterHistory, DeleteParameter },
});
