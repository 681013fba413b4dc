import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Diagnosis } from '../../../shared/contract';
import { DELIVERY_LIMITS } from '../../../shared/limits';
import { diagnose, findEntry } from '../diagnosis/diagnose';
import { KeywardError } from '../errors';
import { classifyAwsError } from '../providers/aws/errors';
import { RotationStepError } from '../rotation/errors';
import { Redactor } from '../verification/redact';
import type { AwsSdkConfig, DeliveredKey, DeliveryContext } from './kind';

// What the AWS places (ssm-parameter, secrets-manager) share: the key held as a JSON object
// in one value (the admin's other fields kept), the SDK config they write with, and the one
// way a failed call becomes a diagnosed, redacted step failure.

/** A JSON member name the admin maps a key half to (`--id-field`, `--secret-field`). */
const FieldName = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\w.$@-]+$/, 'a field name is letters, digits and _ . $ @ -');

const Region = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'a region looks like eu-west-1');

/** The config both AWS kinds take besides the place's name. */
export const awsPlaceConfig = {
  /** Where the place lives; the writer's region when absent. */
  region: Region.optional(),
  idField: FieldName.default('accessKeyId'),
  secretField: FieldName.default('secretAccessKey'),
};

export interface KeyFields {
  idField: string;
  secretField: string;
}

/** The largest value either service holds (Secrets Manager's 64 KiB); anything longer is not theirs. */
const MAX_VALUE_CHARS = 65_536;

/** The writer's SDK config, in the place's own region when it has one. */
export function placeConfig(ctx: DeliveryContext, region: string | undefined): AwsSdkConfig {
  const base = ctx.aws();
  return region ? { ...base, region } : base;
}

/** The region a place's calls go to, for messages and test commands. */
export const placeRegion = (ctx: DeliveryContext, region: string | undefined): string => region ?? ctx.aws().region;

function parseObject(text: string): Record<string, unknown> | null {
  if (text.length > MAX_VALUE_CHARS) return null;
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The key a value holds under the mapped fields; null when it is not a JSON object or holds neither half. */
export function keyFromJson(text: string | null | undefined, fields: KeyFields): Partial<DeliveredKey> | null {
  const o = text ? parseObject(text) : null;
  if (!o) return null;
  const accessKeyId = typeof o[fields.idField] === 'string' ? (o[fields.idField] as string) : undefined;
  const secretAccessKey = typeof o[fields.secretField] === 'string' ? (o[fields.secretField] as string) : undefined;
  if (!accessKeyId && !secretAccessKey) return null;
  return { ...(accessKeyId ? { accessKeyId } : {}), ...(secretAccessKey ? { secretAccessKey } : {}) };
}

/**
 * The value to write: the place's JSON object with the two mapped fields set to `key`, every
 * other field as it was (a new object when the place holds nothing). A place holding text that
 * is not a JSON object is refused: Keyward would otherwise throw away what the admin put there.
 */
export function mergeKeyJson(current: string | null, key: DeliveredKey, fields: KeyFields, place: string): string {
  const o = current === null || current === '' ? {} : parseObject(current);
  if (!o) {
    throw new KeywardError(
      'CONFLICT',
      `${place} holds a value that is not a JSON object, so Keyward does not overwrite it: nothing was written. Put a JSON object there (or nothing), or deliver to another name.`,
    );
  }
  return JSON.stringify({ ...o, [fields.idField]: key.accessKeyId, [fields.secretField]: key.secretAccessKey });
}

/** A UUID-shaped token derived from what is written, so a resumed write repeats the same request (idempotent where AWS honours it). */
export function requestToken(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface PlaceCall {
  /** The step in the admin's words: "Write the key to SSM parameter /app/key". */
  step: string;
  operation: string;
  /** The IAM action the call needs. */
  permission: string;
  /** Filled into the catalog rows: {name}, {region}, {keyId}, … */
  fill: Record<string, string>;
  /** The place's own test command (the row's when it has one wins). */
  test: string;
  /** Every secret the call carried or could echo: the writer's, the key's, the place's old value. */
  secrets: string[];
}

/** An SDK error of one call to an AWS place, as a diagnosed step failure with no secret in it. */
export function placeFailure(call: PlaceCall, e: unknown): RotationStepError {
  const redact = new Redactor(call.secrets);
  const { kind, error } = classifyAwsError(e);
  const vars: Record<string, string> = { permission: call.permission, ...call.fill };
  const fill = (s: string) => s.replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);
  const d = diagnose({ provider: 'AWS', status: kind, error, fields: {} });
  // A row of its own names its test command; otherwise the place's own is the one to try.
  const test = findEntry('AWS', error)?.test ? fill(d.test) : call.test;
  const diagnosis: Diagnosis = { ...d, cause: fill(d.cause), remedy: d.remedy.map(fill), test };
  return new RotationStepError({ step: call.step, operation: call.operation, error: redact.error(error), diagnosis: redact.diagnosis(diagnosis) ?? diagnosis });
}

/** The secrets a call with the context's writer carries, plus any of the key or old value. */
export function callSecrets(ctx: DeliveryContext, ...more: Array<string | null | undefined>): string[] {
  const writer = ctx.aws().credentials;
  return [writer.secretAccessKey, writer.sessionToken, ...more].filter((s): s is string => typeof s === 'string' && s.length > 0);
}

/** Bounds of a place's name shared by both kinds. */
export const placeNameChars = DELIVERY_LIMITS.nameChars;
