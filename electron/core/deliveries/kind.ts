import type { z } from 'zod';
import type { CheckError, Diagnosis } from '../../../shared/contract';
import type { Partition } from '../policy/generate';
import type { FileWriter } from '../file-replace';
import type { Clock } from '../ports/clock';
import type { awsClientConfig } from '../providers/aws/client';

// A delivery kind: one place a credential's key can be copied to. Each kind is one file
// in this folder, listed once in DELIVERY_KINDS (index.ts). The rotation's apply step
// (rotation/steps.ts) saves what the place holds, writes the new key, reads it back and
// checks it; a rollback restores what was saved. `delivery add|list|remove|test` and the
// IAM policy generator read the same list.

/** An AWS access key as a place holds it. Stays in core: never logged, audited or sent to the window. */
export interface DeliveredKey {
  accessKeyId: string;
  secretAccessKey: string;
}

/** What every kind is given. */
export interface DeliveryContext {
  /**
   * The SDK config of the AWS credential that writes AWS places: the delivery's named
   * writer, else the rotation's acting credential, else the credential itself (holding the
   * key it holds now). Region, the endpoint override (GovCloud, a test server), the shared
   * keep-alive HTTP handler, timeouts. A kind with a region of its own overrides `region`.
   */
  aws(): AwsSdkConfig;
  clock: Clock;
  /** A relative file path in a config resolves against this folder (the home folder; a temp folder in tests). */
  fsRoot: string;
  /** How local files are written: atomically, with a backup (file-replace.ts); tests pass one that fails. */
  files: FileWriter;
  /** The System Parameters bound to the credential whose key is delivered (the system-parameters kind). */
  parameters: BoundParameters;
  /**
   * sts:GetCallerIdentity against the delivered credential's region and endpoint, with the
   * check's deadline and retries: does the key the place holds work? Given a profile of a
   * shared credentials file, it signs with what the SDK's own ini loader reads there.
   */
  checkKey(key: DeliveredKey | SharedProfile): Promise<DeliveryCheck>;
}

/** A profile of an AWS shared credentials file, as the SDKs and the AWS CLI read it. */
export interface SharedProfile {
  profile: string;
  file: string;
}

export type AwsSdkConfig = ReturnType<typeof awsClientConfig>;

/** The vault's side of System Parameters, as the system-parameters kind sees it. */
export interface BoundParameters {
  /** The parameters bound to the credential's key fields, with the field each follows. */
  bound(): Array<{ key: string; field: 'accessKeyId' | 'secretAccessKey' }>;
  /** What the bound parameters hold now (they follow the credential record). */
  values(): Partial<DeliveredKey>;
}

/** Where an AWS place lives, for the policy's resource ARNs. */
export interface PolicyTarget {
  partition: Partition;
  /** The writer's region (a kind with a region of its own uses that). */
  region: string;
  /** The 12-digit account from the credential's verified identity; null when never verified. */
  account: string | null;
}

/** The IAM actions a delivery needs on one resource. */
export interface DeliveryStatement {
  actions: string[];
  resource: string;
}

/** A consumer check's verdict: whom the key works as, or why it does not. */
export type DeliveryCheck = { ok: true; detail: string } | { ok: false; error: CheckError; diagnosis: Diagnosis };

export interface DeliveryKind<Config = unknown, Previous = unknown> {
  /** Stored with each delivery and named on the command line (`--kind aws-profile`). */
  id: string;
  /** In the admin's words: "AWS credentials profile". */
  title: string;
  /** The kind's non-secret config; every byte from outside passes it (bounded). */
  configSchema: z.ZodType<Config>;
  /** The place in words: "[prod] in /home/me/.aws/credentials" (the parameters, where the kind lists them). */
  describe(config: Config, parameters?: BoundParameters): string;
  /** What the admin can run to look at the place themselves (in a diagnosis). */
  testCommand(config: Config): string;
  /** The IAM statements writing and reading the place need (none for a local file). */
  awsActions(config: Config, target: PolicyTarget): DeliveryStatement[];
  /**
   * What the place holds now, to put back on rollback; sealed into the rotation journal
   * before `write`. JSON-serialisable; null when the place does not exist yet.
   */
  save(ctx: DeliveryContext, config: Config): Promise<Previous | null>;
  /** Writes the key; done again on resume, so writing the same key twice is harmless. */
  write(ctx: DeliveryContext, config: Config, key: DeliveredKey): Promise<void>;
  /**
   * The key the place holds, as its consumer would read it; null when it holds none. A place
   * that holds one half only (a parameter bound to the key id alone) returns that half.
   */
  readBack(ctx: DeliveryContext, config: Config): Promise<Partial<DeliveredKey> | null>;
  /** Puts back what `save` returned (null: the place did not exist, so what was written goes). */
  restore(ctx: DeliveryContext, config: Config, previous: Previous | null): Promise<void>;
  /** Where it can: the consumer's own way of reading the place, tried with the key. */
  check?(ctx: DeliveryContext, config: Config, key: DeliveredKey): Promise<DeliveryCheck>;
}

/** A registry entry with its types erased: the config is parsed by its own schema before use. */
export type AnyDeliveryKind = DeliveryKind<any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A kind, typed by its config schema: `defineKind({...})` keeps `describe(config)` and the rest in step with it. */
export function defineKind<Config, Previous>(kind: DeliveryKind<Config, Previous>): DeliveryKind<Config, Previous> {
  return kind;
}
