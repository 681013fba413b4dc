import { z } from 'zod';
import { CredentialTypeSchema, ProviderIdSchema } from './providers';
import { ERROR_CODES } from './errors';

// The IPC contract: every channel once, with its request and response schema, and every
// event main sends to the window. Main validates requests against it, preload builds
// `window.keyward` from it, the loopback test harness serves it. Responses and events
// never carry a secret value: requests may (a secret goes in, never comes back out).

export const CREDENTIAL_STATUSES = ['UNVERIFIED', 'VALID', 'INVALID', 'UNREACHABLE'] as const;
export const CredentialStatusSchema = z.enum(CREDENTIAL_STATUSES);

export const IdentitySchema = z.object({
  account: z.string(),
  arn: z.string(),
  userId: z.string(),
});

export const CheckErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
});

export const DiagnosisSchema = z.object({
  cause: z.string(),
  remedy: z.array(z.string()),
  test: z.string(),
  link: z.string().nullable().optional(),
});

export const CredentialSchema = z.object({
  id: z.string(),
  name: z.string(),
  provider: ProviderIdSchema,
  type: CredentialTypeSchema,
  status: CredentialStatusSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
  lastVerifiedAt: z.string().nullable(),
  /** Set while a check is running. */
  verifying: z.boolean(),
  /** Public fields only (AWS: accessKeyId, region, endpointUrl; APISIX: endpoint). */
  fields: z.record(z.string(), z.string()),
  /** Names of the secret fields that hold a value: never the values. */
  secretFields: z.array(z.string()),
  identity: IdentitySchema.nullable(),
  error: CheckErrorSchema.nullable(),
  diagnosis: DiagnosisSchema.nullable(),
});

const IdRequest = z.object({ id: z.string().min(1) });
const FieldValues = z.record(z.string(), z.string().max(4096));

export const VerifyProgressSchema = z.object({
  runId: z.string(),
  done: z.number().int(),
  total: z.number().int(),
  valid: z.number().int(),
  invalid: z.number().int(),
  unreachable: z.number().int(),
  finished: z.boolean(),
  cancelled: z.boolean(),
});

export const VaultStatusSchema = z.object({
  state: z.enum(['UNLOCKED', 'LOCKED', 'NOT_INITIALIZED']),
  keyProvider: z.enum(['keychain', 'passphrase']).nullable(),
  path: z.string(),
  reason: z.string().nullable(),
  readOnly: z.boolean(),
});

export const channels = {
  'vault.status': { request: z.object({}), response: VaultStatusSchema },
  'vault.unlock': {
    request: z.object({ passphrase: z.string().min(1).max(1024) }),
    response: VaultStatusSchema,
  },
  'vault.init': {
    request: z.object({
      keyProvider: z.enum(['keychain', 'passphrase']),
      passphrase: z.string().min(12).max(1024).optional(),
    }),
    response: VaultStatusSchema,
  },
  'credentials.list': { request: z.object({}), response: z.array(CredentialSchema) },
  'credentials.get': { request: IdRequest, response: CredentialSchema },
  'credentials.add': {
    request: z.object({
      name: z.string().max(200),
      provider: ProviderIdSchema,
      type: CredentialTypeSchema,
      fields: FieldValues,
      verify: z.boolean().default(true),
    }),
    response: CredentialSchema,
  },
  'credentials.update': {
    request: z.object({
      id: z.string().min(1),
      name: z.string().max(200).optional(),
      /** Fields to replace. An absent or empty secret field keeps the stored secret. */
      fields: FieldValues.optional(),
    }),
    response: CredentialSchema,
  },
  'credentials.delete': {
    request: IdRequest,
    response: z.object({ id: z.string(), deleted: z.literal(true) }),
  },
  'credentials.verify': { request: IdRequest, response: CredentialSchema },
  'credentials.verifyAll': {
    request: z.object({ concurrency: z.number().int().min(1).max(64).optional() }),
    response: z.object({ runId: z.string(), total: z.number().int() }),
  },
  'credentials.cancelVerify': {
    request: z.object({ runId: z.string() }),
    response: z.object({ cancelled: z.boolean() }),
  },
} as const;

export const events = {
  /** A credential changed (added, edited, verified): the whole public record. */
  'credential.changed': CredentialSchema,
  'credential.deleted': z.object({ id: z.string() }),
  'verify.progress': VerifyProgressSchema,
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type EventName = keyof typeof events;
export type Request<C extends ChannelName> = z.input<Channels[C]['request']>;
export type ParsedRequest<C extends ChannelName> = z.output<Channels[C]['request']>;
export type Response<C extends ChannelName> = z.output<Channels[C]['response']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const CHANNEL_NAMES = Object.keys(channels) as ChannelName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export const ErrorPayloadSchema = z.object({ code: z.enum(ERROR_CODES), message: z.string() });
/** What travels back for every invoke: errors are values, not thrown across the bridge. */
export type Envelope<T> = { ok: true; data: T } | { ok: false; error: z.output<typeof ErrorPayloadSchema> };

export type Credential = z.output<typeof CredentialSchema>;
export type CredentialStatus = z.output<typeof CredentialStatusSchema>;
export type Identity = z.output<typeof IdentitySchema>;
export type CheckError = z.output<typeof CheckErrorSchema>;
export type Diagnosis = z.output<typeof DiagnosisSchema>;
export type VerifyProgress = z.output<typeof VerifyProgressSchema>;
export type VaultStatus = z.output<typeof VaultStatusSchema>;
