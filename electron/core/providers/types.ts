import type { CheckError, Identity } from '../../../shared/contract';
import type { ProviderId } from '../../../shared/providers';

/** What one check of a credential found. UNREACHABLE means "no verdict", never "bad". */
export type CheckOutcome =
  | { status: 'VALID'; identity: Identity | null }
  | { status: 'INVALID'; error: CheckError }
  | { status: 'UNREACHABLE'; error: CheckError };

export interface CheckInput {
  fields: Record<string, string>;
  secrets: Record<string, string>;
}

export interface CheckOptions {
  /** The whole check's deadline, retries included. */
  timeoutMs: number;
  /** Attempts for throttling, 5xx and dropped connections (with jittered backoff). */
  maxAttempts: number;
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

/** Every provider is a module of this shape: its public/secret fields live in shared/providers. */
export interface ProviderModule {
  id: ProviderId;
  check(input: CheckInput, opts: CheckOptions): Promise<CheckOutcome>;
}
