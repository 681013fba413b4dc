import { AwsError } from './errors';
import { denialReason } from './permissions';
import type { ActionSpec, ServiceDefinition } from './service';
import type { ServiceName } from './types';

/**
 * The awsJson1_1 protocol (SSM, Secrets Manager): `POST /` with `X-Amz-Target: <Prefix>.<Op>`, a
 * JSON object in and out, and errors as `{"__type": code, "message"|"Message": text}` plus an
 * `x-amzn-ErrorType` header (the SDK reads either). Timestamps are epoch seconds.
 */

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

export type JsonObject = Record<string, unknown>;

/** The operation named by X-Amz-Target, when the header names this prefix. */
export function targetOperation(target: string | undefined): { prefix: string; operation: string } | undefined {
  if (target === undefined) return undefined;
  const dot = target.lastIndexOf('.');
  if (dot <= 0 || dot === target.length - 1) return undefined;
  return { prefix: target.slice(0, dot), operation: target.slice(dot + 1) };
}

/** A request body as the services read it: a JSON object, or SerializationException. */
export function parseJsonBody(body: Buffer): JsonObject {
  if (body.length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new AwsError(400, 'SerializationException', 'The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new AwsError(400, 'SerializationException', 'The request body must be a JSON object.');
  }
  return value as JsonObject;
}

/** An error body as the service words it: SSM's shapes carry `message`, Secrets Manager's `Message`. */
export function jsonErrorBody(error: AwsError, messageField: 'message' | 'Message'): string {
  return JSON.stringify({ __type: error.code, ...(error.message ? { [messageField]: error.message } : {}) });
}

/** `x-amzn-ErrorType` as AWS's JSON services send it (code, then the service's namespace after a colon). */
export const errorTypeHeader = (error: AwsError, namespace: string): Record<string, string> => ({
  'x-amzn-ErrorType': `${error.code}:http://internal.amazon.com/coral/${namespace}/`,
});

/** Epoch seconds with millisecond precision, as awsJson timestamps are written. */
export const epochSeconds = (date: Date): number => date.getTime() / 1000;

/**
 * A JSON-protocol service: answers are the action's JSON text, refusals from the permission model
 * are AccessDeniedException naming the action's resource, errors carry x-amzn-ErrorType.
 */
export function jsonService(def: { name: ServiceName; version: string; targetPrefix: string; messageField: 'message' | 'Message'; actions: Readonly<Record<string, ActionSpec>> }): ServiceDefinition {
  return {
    name: def.name,
    version: def.version,
    xmlns: '',
    targetPrefix: def.targetPrefix,
    contentType: JSON_CONTENT_TYPE,
    actions: def.actions,
    accessDenied: (ctx, spec, decision) =>
      new AwsError(
        400,
        'AccessDeniedException',
        `User: ${ctx.caller.arn} is not authorized to perform: ${spec.permission} on resource: ${spec.resource?.(ctx) ?? '*'} ${denialReason(decision, spec.permission)}`,
      ),
    renderResult: (_action, body) => body ?? '{}',
    renderError: (error) => jsonErrorBody(error, def.messageField),
    errorHeaders: (error) => errorTypeHeader(error, `com.amazonaws.${def.name}`),
  };
}

// --- input members ----------------------------------------------------------------------------

/** AWS's validation wording: "1 validation error detected: Value 'x' at 'name' failed to satisfy constraint: …". */
export function validationException(detail: string): AwsError {
  return new AwsError(400, 'ValidationException', `1 validation error detected: ${detail}`);
}

const lowerFirst = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

/** "Value 'x' at 'name'", or "Value at 'name'" for members AWS marks sensitive (their value is never echoed). */
const valueAt = (name: string, value: string | undefined, sensitive: boolean): string =>
  value === undefined ? `Value null at '${lowerFirst(name)}'` : sensitive ? `Value at '${lowerFirst(name)}'` : `Value '${value}' at '${lowerFirst(name)}'`;

export interface StringRule {
  required?: boolean;
  min?: number;
  max?: number;
  /** Regular expression the whole value must match, and its text as AWS prints it. */
  pattern?: [RegExp, string];
  sensitive?: boolean;
}

function wrongType(name: string): AwsError {
  return new AwsError(400, 'SerializationException', `Unexpected value type for member '${name}'.`);
}

export function stringMember(input: JsonObject, name: string, rule: StringRule & { required: true }): string;
export function stringMember(input: JsonObject, name: string, rule?: StringRule): string | undefined;
export function stringMember(input: JsonObject, name: string, rule: StringRule = {}): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) {
    if (rule.required) throw validationException(`${valueAt(name, undefined, false)} failed to satisfy constraint: Member must not be null`);
    return undefined;
  }
  if (typeof value !== 'string') throw wrongType(name);
  const sensitive = rule.sensitive ?? false;
  if (rule.min !== undefined && value.length < rule.min) {
    throw validationException(`${valueAt(name, value, sensitive)} failed to satisfy constraint: Member must have length greater than or equal to ${rule.min}`);
  }
  if (rule.max !== undefined && value.length > rule.max) {
    throw validationException(`${valueAt(name, value, sensitive)} failed to satisfy constraint: Member must have length less than or equal to ${rule.max}`);
  }
  if (rule.pattern && !rule.pattern[0].test(value)) {
    throw validationException(`${valueAt(name, value, sensitive)} failed to satisfy constraint: Member must satisfy regular expression pattern: ${rule.pattern[1]}`);
  }
  return value;
}

export function enumMember<T extends string>(input: JsonObject, name: string, values: readonly T[]): T | undefined {
  const value = stringMember(input, name);
  if (value === undefined) return undefined;
  if (!(values as readonly string[]).includes(value)) {
    throw validationException(`${valueAt(name, value, false)} failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`);
  }
  return value as T;
}

export function booleanMember(input: JsonObject, name: string): boolean | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw wrongType(name);
  return value;
}

export function integerMember(input: JsonObject, name: string, range: { min?: number; max?: number } = {}): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw wrongType(name);
  if (range.min !== undefined && value < range.min) {
    throw validationException(`Value '${value}' at '${lowerFirst(name)}' failed to satisfy constraint: Member must have value greater than or equal to ${range.min}`);
  }
  if (range.max !== undefined && value > range.max) {
    throw validationException(`Value '${value}' at '${lowerFirst(name)}' failed to satisfy constraint: Member must have value less than or equal to ${range.max}`);
  }
  return value;
}

/** A list of strings with AWS's length limits on the list and on each entry. */
export function stringListMember(input: JsonObject, name: string, rule: { required?: boolean; minItems?: number; maxItems?: number; item?: StringRule } = {}): string[] | undefined {
  const value = input[name];
  if (value === undefined || value === null) {
    if (rule.required) throw validationException(`${valueAt(name, undefined, false)} failed to satisfy constraint: Member must not be null`);
    return undefined;
  }
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw wrongType(name);
  const shown = `[${value.join(', ')}]`;
  if (rule.minItems !== undefined && value.length < rule.minItems) {
    throw validationException(`Value '${shown}' at '${lowerFirst(name)}' failed to satisfy constraint: Member must have length greater than or equal to ${rule.minItems}`);
  }
  if (rule.maxItems !== undefined && value.length > rule.maxItems) {
    throw validationException(`Value '${shown}' at '${lowerFirst(name)}' failed to satisfy constraint: Member must have length less than or equal to ${rule.maxItems}`);
  }
  if (rule.item) {
    const item = rule.item;
    value.forEach((entry, i) => stringMember({ [`${name}.${i + 1}.member`]: entry }, `${name}.${i + 1}.member`, item));
  }
  return value as string[];
}
