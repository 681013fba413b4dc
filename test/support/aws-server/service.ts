import type { AwsError } from './errors';
import type { JsonObject } from './json';
import type { Decision } from './permissions';
import type { AwsState } from './state';
import type { Caller, Params, ServiceName } from './types';

/** What an action handler gets once the caller is authenticated and authorised. */
export interface ActionContext {
  state: AwsState;
  caller: Caller;
  /** Region from the request's credential scope. */
  region: string;
  params: Params;
  /** JSON-protocol services (SSM, Secrets Manager): the request body's object; empty for query services. */
  input: JsonObject;
  now: Date;
  requestId: string;
}

export interface ActionSpec {
  /** IAM action checked against the caller's policy; absent for calls AWS never refuses (sts:GetCallerIdentity). */
  permission?: string;
  /** The resource named in a refusal message, when AWS names one. */
  resource?(ctx: ActionContext): string | undefined;
  /** Returns the body XML (STS/IAM: the Result's children, or null when the action has no output), or the JSON text for JSON services, or throws AwsError. */
  run(ctx: ActionContext): string | null;
}

/** One AWS service: its actions and how it words its answers. */
export interface ServiceDefinition {
  name: ServiceName;
  version: string;
  xmlns: string;
  actions: Readonly<Record<string, ActionSpec>>;
  /** awsJson services: the X-Amz-Target prefix (`AmazonSSM`, `secretsmanager`) naming the operation. */
  targetPrefix?: string;
  /** Content-Type of every answer; text/xml when absent. */
  contentType?: string;
  /** Extra headers on an error answer (awsJson's x-amzn-ErrorType). */
  errorHeaders?(error: AwsError): Record<string, string>;
  accessDenied(ctx: ActionContext, spec: ActionSpec & { permission: string }, decision: Exclude<Decision, 'allowed'>): AwsError;
  renderResult(action: string, body: string | null, requestId: string): string;
  renderError(error: AwsError, requestId: string): string;
}
