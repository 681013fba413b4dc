import { authenticate } from './auth';
import { dryRunSucceeded, ec2 } from './ec2';
import { AwsError, invalidAction, missingAction, serverError, throttled } from './errors';
import type { Faults, FaultPlan } from './faults';
import { iam } from './iam';
import { newRequestId } from './ids';
import { parseJsonBody, targetOperation, type JsonObject } from './json';
import { decide } from './permissions';
import { parseParams } from './query';
import type { ActionContext, ServiceDefinition } from './service';
import { secretsmanager } from './secrets-manager';
import { getHeader, parseSigV4, type ParsedAuth, type SignableRequest } from './sigv4';
import { ssm } from './ssm';
import type { AwsState } from './state';
import { sts } from './sts';
import { isServiceName, type Params, type RecordedRequest, type ServiceName } from './types';
import { escapeXml } from './xml';

export const SERVICES: Readonly<Record<ServiceName, ServiceDefinition>> = { sts, iam, ec2, ssm, secretsmanager };

/** Mutable server-wide settings. */
export interface ServerConfig {
  /** Delay added to every AWS response (timer-based, so concurrent requests overlap). */
  latencyMs: number;
  /** How far a request's X-Amz-Date may be from the server clock. */
  clockSkewToleranceMs: number;
  /**
   * How far the server's clock is ahead of the machine's (negative: behind). Simulates a client
   * whose clock is wrong: requests are judged, and the Date header written, by the server's clock.
   */
  clockOffsetMs: number;
}

/** The server's idea of the current time. */
export const serverNow = (config: ServerConfig): Date => new Date(Date.now() + config.clockOffsetMs);

export interface ServerContext {
  state: AwsState;
  faults: Faults;
  requests: RecordedRequest[];
  config: ServerConfig;
}

/** What to do with one AWS request, decided before any waiting or writing happens. */
export type Decision =
  | {
      kind: 'respond';
      status: number;
      body: string;
      contentType: string;
      headers: Record<string, string>;
      requestId: string;
      delayMs: number;
      record: RecordedRequest;
    }
  | { kind: 'drop' | 'timeout'; record: RecordedRequest };

/** Where the request claims to go: the SigV4 scope's service, else the X-Amz-Target prefix, else a guess from the Action. */
function targetService(parsed: ParsedAuth, action: string | undefined, targetPrefix: string | undefined): ServiceName | string {
  const scoped = parsed.kind === 'sigv4' ? parsed.auth.credential.service : parsed.kind === 'malformed' ? parsed.scope?.service : undefined;
  if (scoped) return scoped;
  const byTarget = (Object.values(SERVICES) as ServiceDefinition[]).find((s) => s.targetPrefix !== undefined && s.targetPrefix === targetPrefix);
  if (byTarget) return byTarget.name;
  const owner = (Object.values(SERVICES) as ServiceDefinition[]).find((s) => action !== undefined && action in s.actions);
  return owner?.name ?? 'sts';
}

interface Answer {
  status: number;
  body: string;
  errorCode?: string;
  headers?: Record<string, string>;
}

function respond(service: ServiceDefinition, action: string, result: { body: string | null } | { error: AwsError }, requestId: string): Answer {
  return 'error' in result
    ? {
        status: result.error.status,
        body: service.renderError(result.error, requestId),
        errorCode: result.error.code,
        ...(service.errorHeaders ? { headers: service.errorHeaders(result.error) } : {}),
      }
    : { status: 200, body: service.renderResult(action, result.body, requestId) };
}

/**
 * The operation a request names: the query protocol's Action parameter, or for a JSON service the
 * X-Amz-Target operation (empty when the header is missing or names another service's prefix).
 */
function operationOf(service: ServiceDefinition | undefined, params: Params, target: ReturnType<typeof targetOperation>): string {
  if (service?.targetPrefix === undefined) return params.get('Action') ?? '';
  return target?.prefix === service.targetPrefix ? target.operation : '';
}

/** Authenticate, authorise and run one action, turning every refusal into the service's error body. */
function serve(ctx: ServerContext, service: ServiceDefinition, req: SignableRequest, parsed: ParsedAuth, params: Params, action: string, requestId: string): Answer {
  try {
    const now = serverNow(ctx.config);
    const auth = authenticate(req, parsed, service.name, { state: ctx.state, now, clockSkewToleranceMs: ctx.config.clockSkewToleranceMs });
    if (!auth.ok) throw auth.error;
    ctx.state.recordKeyUse(auth.caller.accessKeyId, { service: service.name, region: auth.region, at: now });
    if (!action && service.targetPrefix === undefined) throw missingAction();
    const spec = Object.hasOwn(service.actions, action) ? service.actions[action] : undefined;
    if (!spec) throw invalidAction(service.name, action, service.version);
    const input: JsonObject = service.targetPrefix !== undefined ? parseJsonBody(req.body) : {};
    const actionCtx: ActionContext = { state: ctx.state, caller: auth.caller, region: auth.region, params, input, now, requestId };
    if (spec.permission) {
      const user = ctx.state.getUser(auth.caller.userName, auth.caller.account);
      const decision = user ? decide(user.permissions, spec.permission) : 'implicit-deny';
      if (decision !== 'allowed') throw service.accessDenied(actionCtx, { ...spec, permission: spec.permission }, decision);
    }
    if (service.name === 'ec2' && params.get('DryRun') === 'true') throw dryRunSucceeded();
    return respond(service, action, { body: spec.run(actionCtx) }, requestId);
  } catch (error) {
    if (error instanceof AwsError) return respond(service, action, { error }, requestId);
    // A bug in the test server: surface it loudly, but answer like AWS would.
    console.error('[aws-test-server] unexpected error', error);
    return respond(service, action, { error: serverError(service.name, 500) }, requestId);
  }
}

function faultAnswer(service: ServiceDefinition, plan: FaultPlan, action: string, requestId: string): Answer | undefined {
  const fault = plan.terminal;
  if (!fault || (fault.kind !== 'throttle' && fault.kind !== '5xx')) return undefined;
  const error = fault.kind === 'throttle' ? throttled(service.name) : serverError(service.name, fault.status ?? 500);
  return respond(service, action, { error }, requestId);
}

/** A scope naming a service this endpoint does not serve, answered as a wrongly scoped credential. */
function unknownServiceAnswer(name: string, requestId: string): Answer {
  const message = `Credential should be scoped to correct service: one of '${Object.keys(SERVICES).join("', '")}', not '${name}'.`;
  const body = `<ErrorResponse><Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>\n`;
  return { status: 403, body, errorCode: 'SignatureDoesNotMatch' };
}

/** Decides the answer to one AWS API request: parse, apply faults, authenticate, run. */
export function dispatch(ctx: ServerContext, req: SignableRequest, contentType: string | undefined): Decision {
  const requestId = newRequestId();
  const parsed = parseSigV4(req);
  const params = parseParams(req.query, req.body, contentType);
  const amzTarget = targetOperation(getHeader(req.headers, 'x-amz-target'));
  const target = targetService(parsed, params.get('Action') ?? undefined, amzTarget?.prefix);
  const service = isServiceName(target) ? SERVICES[target] : undefined;
  const action = operationOf(service, params, amzTarget);
  const scope = parsed.kind === 'sigv4' ? parsed.auth.credential : parsed.kind === 'malformed' ? parsed.scope : undefined;

  const plan = ctx.faults.plan(service?.name, action);
  const record: RecordedRequest = {
    service: service?.name ?? 'unknown',
    action,
    ...(scope?.accessKeyId ? { accessKeyId: scope.accessKeyId } : {}),
    ...(scope?.region ? { region: scope.region } : {}),
    status: 0,
    at: serverNow(ctx.config),
    ...(plan.terminal ? { fault: plan.terminal.kind } : plan.extraLatencyMs > 0 ? { fault: 'latency' } : {}),
  };
  if (plan.terminal?.kind === 'drop' || plan.terminal?.kind === 'timeout') return { kind: plan.terminal.kind, record };

  const answer = !service ? unknownServiceAnswer(target, requestId) : (faultAnswer(service, plan, action, requestId) ?? serve(ctx, service, req, parsed, params, action, requestId));
  record.status = answer.status;
  if (answer.errorCode) record.errorCode = answer.errorCode;
  return {
    kind: 'respond',
    status: answer.status,
    body: answer.body,
    contentType: service?.contentType ?? 'text/xml',
    headers: answer.headers ?? {},
    requestId,
    delayMs: ctx.config.latencyMs + plan.extraLatencyMs,
    record,
  };
}
