import type { ServerContext } from './dispatch';
import type { FaultSpec } from './faults';
import { applySeed, parseSeed } from './seed';
import { DEFAULT_ACCOUNT } from './state';
import type { AccessKeyStatus } from './types';

/**
 * The admin API, for tests in other processes (the CLI under test, a Playwright harness):
 * JSON in and out under /__admin/, unauthenticated, and refused to anything but loopback.
 */

export const ADMIN_PREFIX = '/__admin/';

export interface AdminRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Buffer;
  remoteAddress: string | undefined;
}

export interface AdminResponse {
  status: number;
  json: unknown;
}

class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const isLoopback = (address: string | undefined): boolean => address !== undefined && (address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.'));

type Json = Record<string, unknown>;

function readJson(body: Buffer): Json {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new AdminError(400, 'Body is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new AdminError(400, 'Body must be a JSON object');
  return value as Json;
}

function str(body: Json, name: string, required: true): string;
function str(body: Json, name: string, required?: false): string | undefined;
function str(body: Json, name: string, required = false): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) {
    if (required) throw new AdminError(400, `'${name}' is required`);
    return undefined;
  }
  if (typeof value !== 'string') throw new AdminError(400, `'${name}' must be a string`);
  return value;
}

function strings(body: Json, name: string): string[] | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new AdminError(400, `'${name}' must be an array of strings`);
  return value;
}

function num(body: Json, name: string): number | undefined {
  const value = body[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new AdminError(400, `'${name}' must be a non-negative number`);
  return value;
}

function status(body: Json): AccessKeyStatus | undefined {
  const value = str(body, 'status');
  if (value !== undefined && value !== 'Active' && value !== 'Inactive') throw new AdminError(400, "'status' must be Active or Inactive");
  return value;
}

function date(body: Json, name: string): Date | undefined {
  const value = str(body, name);
  if (value === undefined) return undefined;
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) throw new AdminError(400, `'${name}' must be an ISO-8601 date`);
  return parsed;
}

type Handler = (ctx: ServerContext, body: Json, match: RegExpMatchArray, req: AdminRequest) => AdminResponse;

const ok = (json: unknown, code = 200): AdminResponse => ({ status: code, json });

const ROUTES: Array<[method: string, path: RegExp, handler: Handler]> = [
  ['GET', /^state$/, (ctx) => ok(ctx.state.snapshot())],
  ['GET', /^requests$/, (ctx) => ok(ctx.requests.map((r) => ({ ...r, at: r.at.toISOString() })))],
  [
    'DELETE',
    /^requests$/,
    (ctx) => {
      ctx.requests.length = 0;
      return ok({ ok: true });
    },
  ],
  [
    'POST',
    /^reset$/,
    (ctx) => {
      ctx.state.reset();
      ctx.faults.clear();
      ctx.requests.length = 0;
      return ok({ ok: true });
    },
  ],
  [
    'PUT',
    /^config$/,
    (ctx, body) => {
      const latencyMs = num(body, 'latencyMs');
      const propagationDelayMs = num(body, 'propagationDelayMs');
      const clockSkewToleranceMs = num(body, 'clockSkewToleranceMs');
      const clockOffsetMs = body.clockOffsetMs;
      if (clockOffsetMs !== undefined && (typeof clockOffsetMs !== 'number' || !Number.isFinite(clockOffsetMs))) {
        throw new AdminError(400, "'clockOffsetMs' must be a number");
      }
      if (clockOffsetMs !== undefined) ctx.config.clockOffsetMs = clockOffsetMs;
      if (latencyMs !== undefined) ctx.config.latencyMs = latencyMs;
      if (propagationDelayMs !== undefined) ctx.state.propagationDelayMs = propagationDelayMs;
      if (clockSkewToleranceMs !== undefined) ctx.config.clockSkewToleranceMs = clockSkewToleranceMs;
      return ok({ ...ctx.config, propagationDelayMs: ctx.state.propagationDelayMs });
    },
  ],
  ['POST', /^seed$/, (ctx, body) => ok({ keys: applySeed(ctx.state, parseSeed(body)) }, 201)],
  ['POST', /^accounts$/, (ctx, body) => ok({ accountId: ctx.state.createAccount(str(body, 'accountId')) }, 201)],
  [
    'POST',
    /^users$/,
    (ctx, body) => {
      const user = ctx.state.createUser(str(body, 'userName', true), {
        account: str(body, 'account'),
        path: str(body, 'path'),
        allow: strings(body, 'allow'),
        deny: strings(body, 'deny'),
      });
      return ok({ account: user.account, userName: user.userName, userId: user.userId, arn: user.arn, path: user.path }, 201);
    },
  ],
  [
    'PUT',
    /^users\/([^/]+)\/policy$/,
    (ctx, body, m) => {
      ctx.state.setUserPolicy(decodeURIComponent(m[1]), { allow: strings(body, 'allow'), deny: strings(body, 'deny') }, str(body, 'account'));
      return ok({ ok: true });
    },
  ],
  [
    'DELETE',
    /^users\/([^/]+)$/,
    (ctx, _body, m, req) => {
      ctx.state.deleteUser(decodeURIComponent(m[1]), req.query.get('account') ?? undefined);
      return ok({ ok: true });
    },
  ],
  [
    'POST',
    /^keys$/,
    (ctx, body) =>
      ok(
        ctx.state.createAccessKey(str(body, 'userName', true), {
          account: str(body, 'account'),
          status: status(body),
          createDate: date(body, 'createDate'),
          accessKeyId: str(body, 'accessKeyId'),
          secretAccessKey: str(body, 'secretAccessKey'),
        }),
        201,
      ),
  ],
  [
    'PATCH',
    /^keys\/([^/]+)$/,
    (ctx, body, m) => {
      const next = status(body);
      if (!next) throw new AdminError(400, "'status' is required");
      ctx.state.setAccessKeyStatus(decodeURIComponent(m[1]), next);
      return ok({ ok: true });
    },
  ],
  [
    'DELETE',
    /^keys\/([^/]+)$/,
    (ctx, _body, m) => {
      ctx.state.deleteAccessKey(decodeURIComponent(m[1]));
      return ok({ ok: true });
    },
  ],
  [
    'POST',
    /^keys\/([^/]+)\/uses$/,
    (ctx, body, m) => {
      ctx.state.recordKeyUse(decodeURIComponent(m[1]), {
        service: str(body, 'service', true),
        region: str(body, 'region', true),
        at: date(body, 'at') ?? new Date(),
      });
      return ok({ ok: true });
    },
  ],
  [
    'POST',
    /^sessions$/,
    (ctx, body) => {
      const expiresAt = date(body, 'expiresAt');
      if (!expiresAt) throw new AdminError(400, "'expiresAt' is required");
      return ok(ctx.state.createSessionCredentials(str(body, 'userName', true), { expiresAt, account: str(body, 'account') }), 201);
    },
  ],
  [
    'POST',
    /^security-groups$/,
    (ctx, body) => {
      const group = ctx.state.addSecurityGroup({
        groupId: str(body, 'groupId', true),
        region: str(body, 'region', true),
        account: str(body, 'account'),
        groupName: str(body, 'groupName'),
        vpcId: str(body, 'vpcId'),
        description: str(body, 'description'),
        isDefaultVpc: body.isDefaultVpc === true,
      });
      return ok({ groupId: group.groupId, region: group.region, account: group.account }, 201);
    },
  ],
  [
    'POST',
    /^kms-keys$/,
    (ctx, body) => {
      const key = ctx.state.kms.create({ account: str(body, 'account') ?? DEFAULT_ACCOUNT, region: str(body, 'region', true), alias: str(body, 'alias') });
      return ok({ keyId: key.keyId, arn: key.arn, aliases: key.aliases }, 201);
    },
  ],
  ['GET', /^faults$/, (ctx) => ok(ctx.faults.list())],
  [
    'POST',
    /^faults$/,
    (ctx, body) => {
      const times = num(body, 'times');
      const statusCode = body.status;
      if (statusCode !== undefined && statusCode !== 500 && statusCode !== 503) throw new AdminError(400, "'status' must be 500 or 503");
      const spec: FaultSpec = {
        kind: str(body, 'kind', true) as FaultSpec['kind'],
        service: str(body, 'service') as FaultSpec['service'],
        action: str(body, 'action'),
        ...(times !== undefined ? { times } : {}),
        latencyMs: num(body, 'latencyMs'),
        ...(statusCode !== undefined ? { status: statusCode } : {}),
      };
      return ok({ id: ctx.faults.add(spec) }, 201);
    },
  ],
  [
    'DELETE',
    /^faults$/,
    (ctx) => {
      ctx.faults.clear();
      return ok({ ok: true });
    },
  ],
  [
    'DELETE',
    /^faults\/([^/]+)$/,
    (ctx, _body, m) => {
      if (!ctx.faults.remove(decodeURIComponent(m[1]))) throw new AdminError(404, `No fault ${m[1]}`);
      return ok({ ok: true });
    },
  ],
];

export function handleAdmin(ctx: ServerContext, req: AdminRequest): AdminResponse {
  if (!isLoopback(req.remoteAddress)) return { status: 403, json: { error: { code: 'Forbidden', message: 'The admin API answers loopback clients only' } } };
  const route = req.path.slice(ADMIN_PREFIX.length);
  const candidates = ROUTES.filter(([, pattern]) => pattern.test(route));
  const matched = candidates.find(([method]) => method === req.method);
  if (!matched) {
    return candidates.length
      ? { status: 405, json: { error: { code: 'MethodNotAllowed', message: `${req.method} is not supported on ${req.path}` } } }
      : { status: 404, json: { error: { code: 'NotFound', message: `No admin route ${req.path}` } } };
  }
  const [, pattern, handler] = matched;
  try {
    return handler(ctx, readJson(req.body), route.match(pattern) as RegExpMatchArray, req);
  } catch (error) {
    const code = error instanceof AdminError ? error.status : 400;
    const message = error instanceof Error ? error.message : String(error);
    return { status: code, json: { error: { code: code === 404 ? 'NotFound' : 'BadRequest', message } } };
  }
}
