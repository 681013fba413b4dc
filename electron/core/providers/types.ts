import type { CheckError, Diagnosis, Identity } from '../../../shared/contract';
import type { CredentialType, ProviderDef, ProviderId } from '../../../shared/providers';
import type { CredentialRecord, CredentialRepo } from '../credentials/repo';
import type { CatalogEntry } from '../diagnosis/entry';
import type { Clock } from '../ports/clock';

/** What one check of a credential found. UNREACHABLE means "no verdict", never "bad". */
export type CheckOutcome = { status: 'VALID'; identity: Identity | null } | { status: 'INVALID'; error: CheckError } | { status: 'UNREACHABLE'; error: CheckError };

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
  /** The core's clock, for expiry dates and signed assertions; the system's when absent. */
  clock?: Clock;
}

/** A provider's check: what its verify.ts exports as `check`. */
type ProviderCheck = (input: CheckInput, opts: CheckOptions) => Promise<CheckOutcome>;

/** What a deeper diagnosis gets: the failed credential, its secrets, the error and the other credentials. */
export interface DeepenInput {
  rec: CredentialRecord;
  secrets: Record<string, string>;
  error: CheckError;
  repo: CredentialRepo;
  opts: Omit<CheckOptions, 'signal'> & { signal?: AbortSignal };
}

/**
 * Every provider is one folder, electron/core/providers/<id>/, whose index.ts exports one
 * of these, listed once in providers/index.ts. Its fields are shared/providers/<id>.ts.
 * index.ts stays light: the check (and its client library) loads on the first check.
 */
export interface Provider {
  def: ProviderDef<ProviderId, CredentialType>;
  check: ProviderCheck;
  /** Its rows of the diagnosis catalog (the shared network and TLS rows come after them). */
  catalog: readonly CatalogEntry[];
  /** The command that tests the credential outside Keyward with its settings (for this error), or null for def.testCommand. */
  testCommand(fields: Record<string, string>, errorCode?: string): string | null;
  /** What the diagnosis can add from the stored fields alone, with no call (Azure: an expiry date that has passed). */
  found?(fields: Record<string, string>): Pick<Diagnosis, 'found'> | null;
  /** A deeper diagnosis after a failed check, with calls of its own (AWS: who holds the key). Never changes the verdict. */
  deepen?(input: DeepenInput): Promise<Partial<Diagnosis> | null>;
  /** A rule `keyward add` checks beyond each field's own (LDAP: --ca-file needs ldaps://); a message, or null. */
  cliCheck?(fields: Record<string, string>): string | null;
}

/** The check of verify.ts, loaded on first use so `keyward list` never loads ldapts, pg, mongodb or an AWS SDK. */
export function lazyCheck(load: () => Promise<{ check: ProviderCheck }>): ProviderCheck {
  let loaded: Promise<ProviderCheck> | undefined;
  return async (input, opts) => (await (loaded ??= load().then((m) => m.check)))(input, opts);
}

/** A provider's registry entry: its definition, its check (from verify.ts, loaded on first use), its catalog rows and the rest. */
export function providerOf(def: Provider['def'], load: () => Promise<{ check: ProviderCheck }>, catalog: Provider['catalog'], rest: Omit<Provider, 'def' | 'check' | 'catalog'>): Provider {
  return { def, check: lazyCheck(load), catalog, ...rest };
}
