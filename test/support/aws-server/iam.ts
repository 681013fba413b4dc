import { AwsError, validationError } from './errors';
import { denialReason } from './permissions';
import { CreatePolicy } from './iam-policy';
import { GenerateCredentialReport, GetCredentialReport } from './iam-report';
import type { ActionContext, ActionSpec, ServiceDefinition } from './service';
import { ACCESS_KEYS_PER_USER, type AccessKeyRecord, type IamUser } from './state';
import type { AccessKeyStatus } from './types';
import { isoDate, list, node, queryError, queryResponse, text, texts } from './xml';

const XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';

// --- errors and validation, worded as IAM words them ------------------------------------------

const noSuchUser = (userName: string): AwsError => new AwsError(404, 'NoSuchEntity', `The user with name ${userName} cannot be found.`);

const noSuchKey = (accessKeyId: string): AwsError => new AwsError(404, 'NoSuchEntity', `The Access Key with id ${accessKeyId} cannot be found.`);

function validUserName(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.length < 1 || value.length > 128) {
    throw validationError(`Value '${value}' at 'userName' failed to satisfy constraint: Member must have length ${value.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 128'}`);
  }
  if (!/^[\w+=,.@-]+$/.test(value)) {
    throw validationError(`Value '${value}' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`);
  }
  return value;
}

function requiredAccessKeyId(value: string | undefined): string {
  if (value === undefined) throw validationError(`Value null at 'accessKeyId' failed to satisfy constraint: Member must not be null`);
  if (value.length < 16 || value.length > 128) {
    throw validationError(`Value '${value}' at 'accessKeyId' failed to satisfy constraint: Member must have length ${value.length < 16 ? 'greater than or equal to 16' : 'less than or equal to 128'}`);
  }
  if (!/^\w+$/.test(value)) {
    throw validationError(`Value '${value}' at 'accessKeyId' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w]+`);
  }
  return value;
}

function requiredStatus(value: string | undefined): AccessKeyStatus {
  if (value === undefined) throw validationError(`Value null at 'status' failed to satisfy constraint: Member must not be null`);
  if (value !== 'Active' && value !== 'Inactive') {
    throw validationError(`Value '${value}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive]`);
  }
  return value;
}

function maxItems(value: string | undefined): number {
  if (value === undefined) return 100;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) {
    throw validationError(`Value '${value}' at 'maxItems' failed to satisfy constraint: Member must have value ${n < 1 ? 'greater than or equal to 1' : 'less than or equal to 1000'}`);
  }
  return n;
}

// --- paging: IAM markers are opaque; ours encode the position of the next item -----------------

function page<T>(items: T[], marker: string | undefined, limit: number): { items: T[]; next?: string } {
  let start = 0;
  if (marker !== undefined) {
    const decoded = Number(
      Buffer.from(marker, 'base64url')
        .toString('utf8')
        .replace(/^page:/, ''),
    );
    if (!Number.isInteger(decoded) || decoded < 0) throw validationError(`Value '${marker}' at 'marker' failed to satisfy constraint: Member must be a marker returned by a previous call`);
    start = decoded;
  }
  const slice = items.slice(start, start + limit);
  const nextIndex = start + slice.length;
  return nextIndex < items.length ? { items: slice, next: Buffer.from(`page:${nextIndex}`).toString('base64url') } : { items: slice };
}

const pagingXml = (next: string | undefined): string => text('IsTruncated', next !== undefined) + (next !== undefined ? text('Marker', next) : '');

// --- targets ------------------------------------------------------------------------------------

/** The user an action is about: UserName when given, else the caller (IAM infers it from the signing key). */
function targetUserName(ctx: ActionContext): string {
  return validUserName(ctx.params.get('UserName')) ?? ctx.caller.userName;
}

function requireTargetUser(ctx: ActionContext): IamUser {
  const userName = targetUserName(ctx);
  const user = ctx.state.getUser(userName, ctx.caller.account);
  if (!user) throw noSuchUser(userName);
  return user;
}

/** A key of the target user, or NoSuchEntity: keys of other users and accounts are invisible. */
function requireUserKey(ctx: ActionContext, user: IamUser, accessKeyId: string): AccessKeyRecord {
  const key = ctx.state.getAccessKey(accessKeyId);
  if (!key || key.account !== user.account || key.userName !== user.userName) throw noSuchKey(accessKeyId);
  return key;
}

const userArn = (ctx: ActionContext, userName: string): string => ctx.state.getUser(userName, ctx.caller.account)?.arn ?? `arn:aws:iam::${ctx.caller.account}:user/${userName}`;

/** Access-key actions name the resource as "user NAME" in refusals; other user actions use the ARN. */
const keyResource = (ctx: ActionContext): string => `user ${targetUserName(ctx)}`;

// --- rendering ----------------------------------------------------------------------------------

const userXml = (u: IamUser): string => text('Path', u.path) + text('UserName', u.userName) + text('UserId', u.userId) + text('Arn', u.arn) + text('CreateDate', isoDate(u.createDate));

const keyMetadataXml = (k: AccessKeyRecord): string => text('UserName', k.userName) + text('AccessKeyId', k.accessKeyId) + text('Status', k.status) + text('CreateDate', isoDate(k.createDate));

// --- actions ------------------------------------------------------------------------------------

const GetUser: ActionSpec = {
  permission: 'iam:GetUser',
  resource: (ctx) => userArn(ctx, targetUserName(ctx)),
  run: (ctx) => node('User', userXml(requireTargetUser(ctx))),
};

const ListUsers: ActionSpec = {
  permission: 'iam:ListUsers',
  resource: (ctx) => `arn:aws:iam::${ctx.caller.account}:user/`,
  run: (ctx) => {
    const prefix = ctx.params.get('PathPrefix') ?? '/';
    const users = ctx.state.listUsers(ctx.caller.account).filter((u) => u.path.startsWith(prefix));
    const result = page(users, ctx.params.get('Marker'), maxItems(ctx.params.get('MaxItems')));
    return list('Users', result.items.map(userXml), 'member') + pagingXml(result.next);
  },
};

const ListAccessKeys: ActionSpec = {
  permission: 'iam:ListAccessKeys',
  resource: keyResource,
  run: (ctx) => {
    const user = requireTargetUser(ctx);
    const keys = ctx.state.keysOf(user.userName, user.account);
    const result = page(keys, ctx.params.get('Marker'), maxItems(ctx.params.get('MaxItems')));
    return text('UserName', user.userName) + list('AccessKeyMetadata', result.items.map(keyMetadataXml), 'member') + pagingXml(result.next);
  },
};

const CreateAccessKey: ActionSpec = {
  permission: 'iam:CreateAccessKey',
  resource: keyResource,
  run: (ctx) => {
    const user = requireTargetUser(ctx);
    if (ctx.state.keysOf(user.userName, user.account).length >= ACCESS_KEYS_PER_USER) {
      throw new AwsError(409, 'LimitExceeded', `Cannot exceed quota for AccessKeysPerUser: ${ACCESS_KEYS_PER_USER}`);
    }
    const { accessKeyId } = ctx.state.createAccessKey(user.userName, { account: user.account, createDate: ctx.now, viaApi: true });
    const key = ctx.state.getAccessKey(accessKeyId) as AccessKeyRecord;
    const { userName, accessKeyId: id, status, secretAccessKey } = key;
    return node('AccessKey', texts({ UserName: userName, AccessKeyId: id, Status: status, SecretAccessKey: secretAccessKey, CreateDate: isoDate(key.createDate) }));
  },
};

const UpdateAccessKey: ActionSpec = {
  permission: 'iam:UpdateAccessKey',
  resource: keyResource,
  run: (ctx) => {
    const accessKeyId = requiredAccessKeyId(ctx.params.get('AccessKeyId'));
    const status = requiredStatus(ctx.params.get('Status'));
    const key = requireUserKey(ctx, requireTargetUser(ctx), accessKeyId);
    ctx.state.setAccessKeyStatus(key.accessKeyId, status);
    return null;
  },
};

const DeleteAccessKey: ActionSpec = {
  permission: 'iam:DeleteAccessKey',
  resource: keyResource,
  run: (ctx) => {
    const accessKeyId = requiredAccessKeyId(ctx.params.get('AccessKeyId'));
    const key = requireUserKey(ctx, requireTargetUser(ctx), accessKeyId);
    ctx.state.deleteAccessKey(key.accessKeyId);
    return null;
  },
};

const GetAccessKeyLastUsed: ActionSpec = {
  permission: 'iam:GetAccessKeyLastUsed',
  resource: (ctx) => {
    const key = ctx.state.getAccessKey(ctx.params.get('AccessKeyId') ?? '');
    return `user ${key && key.account === ctx.caller.account ? key.userName : ctx.caller.userName}`;
  },
  run: (ctx) => {
    const accessKeyId = requiredAccessKeyId(ctx.params.get('AccessKeyId'));
    const key = ctx.state.getAccessKey(accessKeyId);
    if (!key || key.account !== ctx.caller.account) throw noSuchKey(accessKeyId);
    const used = key.lastUsed;
    const lastUsed = used ? text('LastUsedDate', isoDate(used.at)) + text('ServiceName', used.service) + text('Region', used.region) : text('ServiceName', 'N/A') + text('Region', 'N/A');
    return text('UserName', key.userName) + node('AccessKeyLastUsed', lastUsed);
  },
};

export const iam: ServiceDefinition = {
  name: 'iam',
  version: '2010-05-08',
  xmlns: XMLNS,
  actions: { GetUser, ListUsers, ListAccessKeys, CreateAccessKey, UpdateAccessKey, DeleteAccessKey, GetAccessKeyLastUsed, CreatePolicy, GenerateCredentialReport, GetCredentialReport },
  accessDenied: (ctx, spec, decision) => {
    const resource = spec.resource?.(ctx);
    const on = resource ? ` on resource: ${resource}` : '';
    return new AwsError(403, 'AccessDenied', `User: ${ctx.caller.arn} is not authorized to perform: ${spec.permission}${on} ${denialReason(decision, spec.permission)}`);
  },
  renderResult: (action, body, requestId) => queryResponse(action, XMLNS, body, requestId),
  renderError: (error, requestId) => queryError(XMLNS, error, requestId),
};
