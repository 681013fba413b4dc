// The dispatcher checks each answer with shared/response-parse.ts: plain checks built
// from the zod schema, which must give zod's own answer or leave it to zod. Held here to
// zod on every schema of the contract, with values drawn from each schema and bent.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allFeatureTables } from '../../shared/channel-tables';
import { checkedWithoutZod, parseResponse, parseWithoutZod } from '../../shared/response-parse';
import { CredentialSchema } from '../../shared/schemas';

/** Deterministic, so a failure names a seed that repeats. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

class Instance {
  constructor(fields: object) {
    Object.assign(this, fields);
  }
}

interface Def {
  type: string;
  [k: string]: unknown;
}
const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def; values?: Set<unknown> } })._zod;

/** A value for `schema`: mostly one it accepts, now and then one bent out of shape. */
function sample(schema: z.ZodType, rnd: () => number, depth = 0): unknown {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const junk = () => pick<unknown>([null, undefined, 0, -0, NaN, Infinity, 1.5, 'x', '', true, [], {}, [1], new Instance({}), Object.create(null)]);
  if (rnd() < 0.04) return junk();
  const { def, values } = defOf(schema);
  const deep = depth > 6;
  switch (def.type) {
    case 'string':
      return pick(['', 'a', 'AKIA0000000000000000', '__proto__', 'constructor', 'ü∑', '2026-12-01T10:00:00.000Z', 'x@example.com', '123e4567-e89b-12d3-a456-426614174000', 'https://h.example']);
    case 'number':
      return pick([0, 1, 7, -1, 1.5, 2 ** 53, 30, NaN, Infinity, -0]);
    case 'boolean':
      return rnd() < 0.5;
    case 'null':
      return null;
    case 'undefined':
      return undefined;
    case 'enum':
    case 'literal':
      return rnd() < 0.9 ? pick([...(values ?? [])]) : 'not-one-of-them';
    case 'optional':
      return deep || rnd() < 0.3 ? undefined : sample(def.innerType as z.ZodType, rnd, depth + 1);
    case 'nullable':
      return deep || rnd() < 0.3 ? null : sample(def.innerType as z.ZodType, rnd, depth + 1);
    case 'default':
    case 'prefault':
    case 'catch':
    case 'readonly':
    case 'nonoptional':
      return sample(def.innerType as z.ZodType, rnd, depth + 1);
    case 'pipe':
      return sample(def.in as z.ZodType, rnd, depth + 1);
    case 'lazy':
      return deep ? null : sample((def.getter as () => z.ZodType)(), rnd, depth + 1);
    case 'union':
      return sample(pick(def.options as z.ZodType[]), rnd, depth + 1);
    case 'tuple':
      return (def.items as z.ZodType[]).map((s) => sample(s, rnd, depth + 1));
    case 'array': {
      const n = deep ? 0 : Math.floor(rnd() * 4);
      const xs = Array.from({ length: n }, () => sample(def.element as z.ZodType, rnd, depth + 1));
      if (rnd() < 0.03) xs.length += 1; // a hole
      return xs;
    }
    case 'record': {
      const keys = deep ? [] : [...new Set(Array.from({ length: Math.floor(rnd() * 4) }, () => pick(['a', 'region', '1', 'accessKeyId', 'x y'])))];
      const keyValues = defOf(def.keyType as z.ZodType).values;
      const out: Record<string | symbol, unknown> = {};
      for (const k of keyValues ? [...keyValues].map(String) : keys) out[k] = sample(def.valueType as z.ZodType, rnd, depth + 1);
      const twist = rnd();
      if (twist < 0.03) out[Symbol('s')] = 'symbol key';
      else if (twist < 0.06) return Object.assign(JSON.parse('{"__proto__": "own"}'), out);
      else if (twist < 0.09) Object.defineProperty(out, 'hidden', { value: 'x', enumerable: false });
      return out;
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, prop] of Object.entries(def.shape as Record<string, z.ZodType>)) {
        const r = rnd();
        if (r < 0.05) continue; // absent
        out[k] = r < 0.08 ? undefined : r < 0.11 ? junk() : sample(prop, rnd, depth + 1);
      }
      if (rnd() < 0.15) out.undeclared = 'secret-looking value';
      const twist = rnd();
      if (twist < 0.04) return new Instance(out);
      if (twist < 0.08) return Object.assign(Object.create(null), out);
      if (twist < 0.1) return Object.assign([], out);
      return out;
    }
    default:
      return junk();
  }
}

/** Every key of every object, in order: toStrictEqual does not compare key order, and zod's output keeps the schema's. */
function keyOrder(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(keyOrder);
  if (v && typeof v === 'object') return Object.entries(v).map(([k, x]) => [k, keyOrder(x)]);
  return v;
}

async function contractSchemas(): Promise<Array<[string, z.ZodType]>> {
  const out: Array<[string, z.ZodType]> = [];
  for (const t of await allFeatureTables()) {
    for (const [name, s] of Object.entries({ ...t.channels, ...t.cli })) {
      out.push([`${name} response`, s.response], [`${name} request`, s.request]);
    }
  }
  return out;
}

describe('response checks built from the zod schemas', () => {
  // Kinds the contract may come to use, beside those it does: plain numbers, unknowns, nesting.
  const extra: Array<[string, z.ZodType]> = [
    [
      'kinds',
      z.object({
        n: z.number(),
        u: z.unknown(),
        nul: z.null(),
        lit: z.literal(['a', 1, null]),
        nested: z.object({ xs: z.array(z.number().nullable()), r: z.record(z.string(), z.unknown()).optional() }).nullable(),
        maybe: z.boolean().optional().nullable(),
      }),
    ],
    ['numbers', z.array(z.number())],
  ];

  it('give zod’s answer on every schema of the contract, or leave it to zod', async () => {
    const schemas = [...(await contractSchemas()), ...extra];
    expect(schemas.length).toBeGreaterThan(150);
    let accepted = 0;
    let answeredFast = 0;
    for (const [i, [name, schema]] of schemas.entries()) {
      const rnd = prng(i + 1);
      for (let n = 0; n < 150; n++) {
        const value = sample(schema, rnd);
        const zod = schema.safeParse(value);
        const fast = parseWithoutZod(schema, value);
        const where = `${name}, seed ${i + 1}, sample ${n}`;
        if (zod.success) accepted++;
        if (fast) {
          answeredFast++;
          // Never an answer zod would not give: never accepting what zod refuses, never another output.
          expect(zod.success, where).toBe(true);
          expect(fast.data, where).toStrictEqual(zod.data);
          expect(keyOrder(fast.data), where).toEqual(keyOrder(zod.data));
        }
        if (zod.success) expect(keyOrder(parseResponse(schema, value)), where).toEqual(keyOrder(zod.data));
        else expect(() => parseResponse(schema, value), where).toThrow(z.ZodError);
      }
    }
    // The check above must not pass by always deferring: most accepted values are answered without zod.
    expect(accepted).toBeGreaterThan(5000);
    expect(answeredFast / accepted).toBeGreaterThan(0.6);
  });

  const credential = {
    id: 'c1',
    name: 'prod',
    provider: 'AWS',
    type: 'ACCESS_KEY',
    status: 'INVALID',
    createdAt: '2026-12-01T10:00:00.000Z',
    updatedAt: '2026-12-01T10:00:00.000Z',
    lastVerifiedAt: null,
    verifying: false,
    fields: { accessKeyId: 'AKIA0000000000000000', region: 'eu-west-1' },
    secretFields: ['secretAccessKey'],
    identity: { account: '123456789012', policies: ['default'] },
    error: { code: 'AccessDenied', message: 'no' },
    diagnosis: {
      cause: 'c',
      remedy: ['r'],
      test: 'aws sts get-caller-identity',
      link: null,
      policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow' }] },
      fix: { kind: 'resource-region', resourceId: 'r1', region: 'eu-west-1' },
    },
  };

  it('answer a credential list without zod, dropping what the schema does not declare', () => {
    const list = z.array(CredentialSchema);
    expect(checkedWithoutZod(list)).toBe(true);
    const leaky = { ...credential, secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', identity: { ...credential.identity, token: 't' } };
    const fast = parseWithoutZod(list, [leaky, credential]);
    expect(fast).not.toBeNull();
    expect(fast!.data).toStrictEqual(list.parse([leaky, credential]));
    expect(JSON.stringify(fast!.data)).not.toContain('wJalrXUtnFEMI');
    expect(Object.keys(fast!.data[0].identity!)).toEqual(['account', 'policies']);
  });

  it('leave to zod what it cannot judge the same way, and then throw zod’s error', () => {
    // A wrong value: zod says what is wrong.
    expect(() => parseResponse(CredentialSchema, { ...credential, status: 'MAYBE' })).toThrow(/status/);
    // A string format is a check of its own: zod's to apply.
    const email = z.object({ to: z.email() });
    expect(checkedWithoutZod(email)).toBe(false);
    expect(() => parseResponse(email, { to: 'not an address' })).toThrow(z.ZodError);
    expect(parseResponse(email, { to: 'a@example.com' })).toEqual({ to: 'a@example.com' });
    // zod accepts a class instance as an object: the plain checks leave it to zod, which does.
    expect(parseWithoutZod(CredentialSchema, new Instance(credential))).toBeNull();
    expect(parseResponse(CredentialSchema, new Instance(credential))).toStrictEqual(CredentialSchema.parse(credential));
    // An own `__proto__` key in a record: zod skips it.
    const rec = z.record(z.string(), z.string());
    const withProto = JSON.parse('{"__proto__": "x", "a": "b"}');
    expect(parseWithoutZod(rec, withProto)).toBeNull();
    expect(parseResponse(rec, withProto)).toStrictEqual(rec.parse(withProto));
    // Defaults and transforms are zod's.
    const defaulted = z.object({ n: z.number().default(3), s: z.string().transform((x) => x.length) });
    expect(parseResponse(defaulted, { s: 'abc' })).toEqual({ n: 3, s: 3 });
  });

  it('keep optional keys as zod does: absent stays absent, present-undefined stays present', () => {
    const s = z.object({ a: z.string().optional(), b: z.string().nullable().optional() });
    for (const v of [{}, { a: undefined }, { b: null }, { a: 'x', b: undefined }]) {
      const fast = parseWithoutZod(s, v);
      expect(fast).not.toBeNull();
      expect(keyOrder(fast!.data)).toEqual(keyOrder(s.parse(v)));
      expect(fast!.data).toStrictEqual(s.parse(v));
    }
  });
});
