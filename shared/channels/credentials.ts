import { z } from 'zod';
import { FILE_LIMITS } from '../limits';
import { CredentialTypeSchema, ProviderIdSchema } from '../providers';
import { CheckErrorSchema, CredentialSchema, CredentialStatusSchema, DiagnosisSchema, FieldValues, IdentitySchema, IdRequest, VerifyProgressSchema } from '../schemas';

/** The credentials table: add, edit, delete, verify one or all. */
export const credentialChannels = {
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
    response: z.object({ id: z.string(), deleted: z.literal(true), resources: z.array(z.object({ id: z.string(), groupId: z.string(), region: z.string() })).optional() }),
  },
  'credentials.verify': { request: IdRequest, response: CredentialSchema },
  'credentials.verifyAll': {
    /** Every credential, or only `ids` (ids or names); progress and the end come as verify.progress events. */
    request: z.object({ concurrency: z.number().int().min(1).max(64).optional(), ids: z.array(z.string().min(1).max(200)).min(1).max(10_000).optional() }),
    response: z.object({ runId: z.string(), total: z.number().int() }),
  },
  /** Main puts the secret on the OS clipboard (cleared after 30 s); nothing comes back. */
  'credentials.copySecret': {
    request: z.object({ id: z.string().min(1), field: z.string().min(1).max(100) }),
    response: z.object({ copied: z.literal(true), clearsAfterSeconds: z.number().int() }),
  },
  /** The profiles of an AWS shared credentials file (+ regions from the config file), one credential each. */
  'credentials.importAws': {
    request: z.object({
      credentials: z.string().max(FILE_LIMITS.awsCredentials.bytes),
      config: z.string().max(FILE_LIMITS.awsCredentials.bytes).default(''),
      /** The credentials file's path, for the refusal of a file with no profiles. */
      fileName: z.string().min(1).max(4096),
      verify: z.boolean().default(true),
    }),
    response: z.object({ imported: z.array(CredentialSchema), skipped: z.array(z.object({ profile: z.string(), reason: z.string() })) }),
  },
  /** Test connection before saving: the form's fields through the provider's check; nothing is stored. */
  'credentials.test': {
    request: z.object({ id: z.string().min(1).optional(), provider: ProviderIdSchema, fields: FieldValues }),
    response: z.object({
      status: CredentialStatusSchema,
      identity: IdentitySchema.nullable().optional(),
      error: CheckErrorSchema.nullable(),
      diagnosis: DiagnosisSchema.nullable(),
      at: z.string(),
    }),
  },
  /** What support asks for, as text: never a secret, key ids masked (the CLI's `show --report`). */
  'credentials.report': { request: IdRequest, response: z.object({ text: z.string() }) },
  'credentials.cancelVerify': {
    request: z.object({ runId: z.string() }),
    response: z.object({ cancelled: z.boolean() }),
  },
} as const;

export const credentialEvents = {
  /** A credential changed (added, edited, verified): the whole public record. */
  'credential.changed': CredentialSchema,
  'credential.deleted': z.object({ id: z.string() }),
  'verify.progress': VerifyProgressSchema,
} as const;
