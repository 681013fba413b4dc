import { z } from 'zod';
import { CredentialTypeSchema, ProviderIdSchema } from './providers';
import { ERROR_CODES } from './errors';
import { MAX_FIELD_CHARS } from './limits';

// The domain schemas the IPC contract is made of. Pure zod: no Node, no DOM.

export const CREDENTIAL_STATUSES = ['UNVERIFIED', 'VALID', 'INVALID', 'UNREACHABLE'] as const;
export const CredentialStatusSchema = z.enum(CREDENTIAL_STATUSES);

export const IdentitySchema = z.object({
  /** AWS: the account, ARN and user id GetCallerIdentity returned (absent for connectors). */
  account: z.string().optional(),
  arn: z.string().optional(),
  userId: z.string().optional(),
  /** Connectors: who the server says we are (LDAP bind DN, current_user@database, Redis user). */
  principal: z.string().optional(),
  /** Connectors: the server's product and version, as it reported them. */
  server: z.string().optional(),
  /** GCP: the service account's project. */
  project: z.string().optional(),
  /** Azure: the tenant (tid) and application (appid) the token was issued for. */
  tenant: z.string().optional(),
  appId: z.string().optional(),
  /** HashiCorp Vault: the token's policies. */
  policies: z.array(z.string()).optional(),
  /** When the credential stops working (Vault: the token's expire_time), ISO-8601. */
  expiresAt: z.string().optional(),
  /** Something to act on although the check passed (e.g. a token that expires within 24 h). */
  warning: z.string().optional(),
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
  /** What a context check found, in words (region mismatch, missing permission, key state). */
  found: z.string().optional(),
  /** The exact IAM permission that was missing (AccessDenied / UnauthorizedOperation). */
  missingPermission: z.string().optional(),
  /** A policy document that would grant what was missing. */
  policy: z.record(z.string(), z.unknown()).optional(),
  /** A fix Keyward can apply: move the resource to the region where the group exists. */
  fix: z.object({ kind: z.literal('resource-region'), resourceId: z.string(), region: z.string() }).optional(),
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

export const IdRequest = z.object({ id: z.string().min(1) });
export const FieldValues = z.record(z.string(), z.string().max(MAX_FIELD_CHARS, { error: 'is larger than 16 KiB, the most a field may hold' }));

/** Whole-number counts, one member a name: counts('done', 'total') is { done: int, total: int }. */
export function counts<const K extends string>(...names: K[]): Record<K, z.ZodNumber> {
  return Object.fromEntries(names.map((name) => [name, z.number().int()])) as Record<K, z.ZodNumber>;
}

export const VerifyProgressSchema = z.object({
  runId: z.string(),
  ...counts('done', 'total', 'valid', 'invalid', 'unreachable'),
  finished: z.boolean(),
  cancelled: z.boolean(),
});

export const VaultStatusSchema = z.object({
  state: z.enum(['UNLOCKED', 'LOCKED', 'NOT_INITIALIZED']),
  keyProvider: z.enum(['keychain', 'passphrase']).nullable(),
  path: z.string(),
  reason: z.string().nullable(),
  readOnly: z.boolean(),
  /** How many credentials the open vault holds (null while locked): the app's home depends on it. */
  credentialCount: z.number().int().nullable(),
});

export const ErrorPayloadSchema = z.object({ code: z.enum(ERROR_CODES), message: z.string() });

export type Credential = z.output<typeof CredentialSchema>;
export type CredentialStatus = z.output<typeof CredentialStatusSchema>;
export type Identity = z.output<typeof IdentitySchema>;
export type CheckError = z.output<typeof CheckErrorSchema>;
export type Diagnosis = z.output<typeof DiagnosisSchema>;
export type VerifyProgress = z.output<typeof VerifyProgressSchema>;
export type VaultStatus = z.output<typeof VaultStatusSchema>;
