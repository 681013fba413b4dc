import type { AwsError } from './errors';
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
  now: Date;
  requestId: string;
}

export interface ActionSpec {
  /** IAM action checked against the caller's policy; absent for calls AWS never refuses (sts:GetCallerIdentity). */
  permission?: string;
  /** The resource named in a refusal message, when AWS names one. */
  resource?(ctx: ActionContext): string | undefined;
  /** Returns the body XML (STS/IAM: the Result's children, or null when the action has no output) or throws AwsError. */
  run(ctx: ActionContext): string | null;
}

/** One AWS service: its actions and how it words its answers. */
export interface ServiceDefinition {
  name: ServiceName;
  version: string;
  xmlns: string;
  actions: Readonly<Record<string, ActionSpec>>;
  accessDenied(ctx: ActionContext, spec: ActionSpec & { permission: string }, decision: Exclude<Decision, 'allowed'>): AwsError;
  renderResult(action: string, body: string | null, requestId: string): string;
  renderError(error: AwsError, requestId: string): string;
}
