import type { z } from 'zod';

// The dispatcher's check of what a handler answers, made cheap for the large answers (a
// 1,000-credential list): zod parses each field through its own call, with a fresh result
// and issue list, which a short-lived process runs in the interpreter: ~7 ms for the list,
// a tenth of `keyward list`. This walks the same zod schema once and builds plain checks
// from it. The schema stays the one declaration; this only answers the common case faster.
//
// The rule that keeps it honest: a check either returns exactly what zod's parse would
// return, or NOT_SURE, and then zod parses (and throws its own error when the answer is
// wrong). It never rejects: anything unusual, from a class instance to a `__proto__` key,
// is left to zod. A schema kind it does not know (union, pipe, default, a check such as
// `.int()` or `.min()`) is parsed by zod where it sits, so every schema is accepted.
// test/core/response-parse.test.ts holds it to zod's answer on every response schema.
//
// zod's own `z.compile` follows the same rule, but generates its parser with `new Function`
// in every process, where nothing caches it: measured in the built CLI, it made `list` 1.5 ms
// and `show` 7 ms slower than these checks, which are part of the cached bundle.

const NOT_SURE: unique symbol = Symbol('not sure');
type Check = (value: unknown) => unknown;

/** What zod's `schema.parse(value)` returns (or throws), reached without zod's per-field work where the schema allows. */
export function parseResponse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const fast = parseWithoutZod(schema, value);
  return fast ? fast.data : schema.parse(value);
}

/** The plain checks alone: zod's output, or null where zod has to judge. */
export function parseWithoutZod<S extends z.ZodType>(schema: S, value: unknown): { data: z.output<S> } | null {
  const out = checkFor(schema)(value);
  return out === NOT_SURE ? null : { data: out as z.output<S> };
}

/** Whether a schema is checked without zod at every level (tests: the large answers must be). */
export function checkedWithoutZod(schema: z.ZodType): boolean {
  return !delegated.has(checkFor(schema));
}

const made = new WeakMap<z.ZodType, Check>();
const delegated = new WeakSet<Check>();

function checkFor(schema: z.ZodType): Check {
  let check = made.get(schema);
  if (!check) {
    check = build(schema);
    made.set(schema, check);
  }
  return check;
}

/** zod's parse of this part, for a kind built here without it. */
function byZod(schema: z.ZodType): Check {
  const check: Check = (value) => {
    const r = schema.safeParse(value);
    return r.success ? r.data : NOT_SURE;
  };
  delegated.add(check);
  return check;
}

interface Internals {
  def: {
    type: string;
    checks?: unknown[];
    coerce?: boolean;
    innerType?: z.ZodType;
    element?: z.ZodType;
    keyType?: z.ZodType;
    valueType?: z.ZodType;
    shape?: Record<string, z.ZodType>;
    catchall?: z.ZodType;
    mode?: string;
  };
  values?: Set<unknown>;
  /** Set on a schema that is a check itself (a string format: email, uuid, datetime). */
  check?: unknown;
  optin?: string;
  optout?: string;
}

const internals = (schema: z.ZodType) => (schema as unknown as { _zod: Internals })._zod;

function build(schema: z.ZodType): Check {
  const zod = internals(schema);
  const def = zod.def;
  if (def.checks?.length || def.coerce || zod.check) return byZod(schema);
  switch (def.type) {
    case 'string':
      return (v) => (typeof v === 'string' ? v : NOT_SURE);
    case 'boolean':
      return (v) => (typeof v === 'boolean' ? v : NOT_SURE);
    case 'number':
      return (v) => (typeof v === 'number' && Number.isFinite(v) ? v : NOT_SURE);
    case 'null':
      return (v) => (v === null ? v : NOT_SURE);
    case 'unknown':
    case 'any':
      return (v) => v;
    case 'enum':
    case 'literal': {
      const values = zod.values;
      return values ? (v) => (values.has(v) ? v : NOT_SURE) : byZod(schema);
    }
    case 'nullable': {
      const inner = checkFor(def.innerType!);
      return mark((v) => (v === null ? null : inner(v)), inner);
    }
    case 'optional': {
      // A defaulted inner schema fills in an absent value: zod's work.
      if (internals(def.innerType!).optin === 'defaulted') return byZod(schema);
      const inner = checkFor(def.innerType!);
      return mark((v) => (v === undefined ? undefined : inner(v)), inner);
    }
    case 'array':
      return arrayCheck(checkFor(def.element!));
    case 'record':
      return recordCheck(schema, def);
    case 'object':
      return objectCheck(schema, def);
    default:
      return byZod(schema);
  }
}

/** A check built over `inner` is only as zod-free as `inner` is. */
function mark(check: Check, ...parts: Check[]): Check {
  if (parts.some((p) => delegated.has(p))) delegated.add(check);
  return check;
}

function arrayCheck(element: Check): Check {
  return mark((v) => {
    if (!Array.isArray(v)) return NOT_SURE;
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) {
      const item = element(v[i]);
      if (item === NOT_SURE) return NOT_SURE;
      out[i] = item;
    }
    return out;
  }, element);
}

/** A plain object, as JSON and the handlers make them: anything else is zod's to judge. */
function isPlain(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function recordCheck(schema: z.ZodType, def: Internals['def']): Check {
  const key = internals(def.keyType!);
  // Only string keys with no check: an enum of keys (exhaustive) or a refined key is zod's.
  if (key.def.type !== 'string' || key.def.checks?.length || key.def.coerce || key.values || def.mode) return byZod(schema);
  const value = checkFor(def.valueType!);
  return mark((v) => {
    // zod reads own enumerable keys, symbols too, and skips `__proto__`: here such a record is zod's.
    if (!isPlain(v) || Object.getOwnPropertySymbols(v).length) return NOT_SURE;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      if (k === '__proto__') return NOT_SURE;
      const item = value(v[k]);
      if (item === NOT_SURE) return NOT_SURE;
      out[k] = item;
    }
    return out;
  }, value);
}

function objectCheck(schema: z.ZodType, def: Internals['def']): Check {
  if (def.catchall || Object.getOwnPropertySymbols(def.shape!).length) return byZod(schema); // strict and loose objects; symbol keys
  const props: Array<{ key: string; check: Check; optional: boolean }> = [];
  for (const [key, prop] of Object.entries(def.shape!)) {
    const { optin, optout } = internals(prop);
    // Required, or optional in and out (`.optional()`, `.nullable().optional()`); a default is zod's.
    if (key === '__proto__' || !((optin === undefined && optout === undefined) || (optin === 'optional' && optout === 'optional'))) return byZod(schema);
    props.push({ key, check: checkFor(prop), optional: optin === 'optional' });
  }
  return mark(
    (v) => {
      if (!isPlain(v)) return NOT_SURE;
      // Keys in the schema's order, as zod writes them; undeclared keys are dropped.
      const out: Record<string, unknown> = {};
      for (const { key, check, optional } of props) {
        if (!Object.hasOwn(v, key)) {
          if (optional && !(key in v)) continue;
          return NOT_SURE; // absent and required (zod refuses), or inherited
        }
        const item = check(v[key]);
        if (item === NOT_SURE) return NOT_SURE;
        out[key] = item;
      }
      return out;
    },
    ...props.map((p) => p.check),
  );
}
