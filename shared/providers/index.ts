import { z } from 'zod';
import { apisix } from './apisix';
import { aws } from './aws';
import { azure } from './azure';
import { gcp } from './gcp';
import { ldap } from './ldap';
import { mongodb } from './mongodb';
import { postgres } from './postgres';
import { redis } from './redis';
import { vault } from './vault';
import type { ProviderDef } from './types';

// Every provider's definition (its fields, their labels and validation), in the order the
// window lists them. Each lives in its own file here; core's registry
// (electron/core/providers/index.ts) adds its check, catalog and test command.

export const PROVIDER_DEFS = [aws, apisix, ldap, postgres, redis, gcp, azure, vault, mongodb] as const;

export type ProviderId = (typeof PROVIDER_DEFS)[number]['id'];
export type CredentialType = (typeof PROVIDER_DEFS)[number]['types'][number];

export const PROVIDER_IDS = PROVIDER_DEFS.map((p) => p.id) as unknown as readonly [ProviderId, ...ProviderId[]];
const CREDENTIAL_TYPES = [...new Set(PROVIDER_DEFS.flatMap((p) => p.types))] as unknown as readonly [CredentialType, ...CredentialType[]];

export const PROVIDERS = Object.fromEntries(PROVIDER_DEFS.map((p) => [p.id, p])) as unknown as Record<ProviderId, ProviderDef<ProviderId, CredentialType>>;

export type { FieldDef, ProviderDef } from './types';
export { cliNameOf, flagOf } from './types';
export { AWS_ACCESS_KEY_ID } from './aws';
export { validateUrl } from './fields';

type FieldErrors = Record<string, string>;

/**
 * Validates a credential's fields for a provider. `partial` is for edits: an empty
 * secret field there means "keep the stored one".
 */
export function validateFields(provider: ProviderId, fields: Record<string, string | undefined>, opts: { partial?: boolean } = {}): FieldErrors {
  const def = PROVIDERS[provider];
  const errors: FieldErrors = {};
  for (const f of def.fields) {
    const raw = fields[f.key];
    const value = raw ?? '';
    if (f.derived) {
      if (value !== '') errors[f.key] = `${f.label} is read from the other fields when saved; it cannot be set.`;
      continue;
    }
    if (opts.partial && (raw === undefined || (f.secret && value === ''))) continue;
    if (!f.required && value === '') continue;
    const msg = f.validate(value);
    if (msg) errors[f.key] = msg;
  }
  for (const key of Object.keys(fields)) {
    if (!def.fields.some((f) => f.key === key)) errors[key] = `${def.label} credentials have no field "${key}".`;
  }
  return errors;
}

/** The longest name a credential may have. */
export const MAX_NAME_LENGTH = 120;

export function validateName(name: string): string | null {
  const n = name.trim();
  if (!n) return 'Name is required.';
  if (n.length > MAX_NAME_LENGTH) return `Name is at most ${MAX_NAME_LENGTH} characters.`;
  if (/[\u0000-\u001f\u007f-\u009f]/.test(n)) return 'Name must not contain control characters.';
  // Bidi controls reorder what a terminal or the window shows (a name could look like another);
  // invisible format characters make two names look the same.
  if (/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(n)) return 'Name must not contain text-direction control characters.';
  if (/[\u00ad\u180e\u200b-\u200d\u2060-\u2064\ufeff\ufff9-\ufffb]/.test(n)) return 'Name must not contain invisible characters.';
  return null;
}

/**
 * A name that another credential's id (or the start of one) would be taken for: `delete
 * NAME` looks ids up first, so such a name would reach the other credential. Returns the
 * problem, or null. `ids` lists the other credentials' ids; it is called only for a name
 * that looks like an id (hex and dashes), so adding "prod-db" reads no ids at all.
 */
export function nameShadowsId(name: string, ids: () => Iterable<string>): string | null {
  const n = name.trim().toLowerCase();
  // Only what looks like an id (hex and dashes, as long as a short id prefix) can be taken for one.
  if (!/^[0-9a-f-]{4,}$/.test(n)) return null;
  for (const id of ids()) if (id.toLowerCase().startsWith(n)) return "Name must not be another credential's id or the start of one: commands would take it for that credential.";
  // A whole UUID is refused even when no credential has it yet: a later one could.
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(n)) return 'Name must not look like a credential id (a UUID): commands would take it for one.';
  return null;
}

export const ProviderIdSchema = z.enum(PROVIDER_IDS);
export const CredentialTypeSchema = z.enum(CREDENTIAL_TYPES);

export function secretFieldKeys(provider: ProviderId): string[] {
  return PROVIDERS[provider].fields.filter((f) => f.secret).map((f) => f.key);
}
