// Nothing a server sends back can leak a secret. A hostile or misconfigured endpoint
// (echo servers in test/support/echo-servers.ts) reflects the request, secret included,
// into the identity, the error code and the message, in five encodings, with the secret
// moved across every truncation limit. Each provider has a canary secret; no result may
// hold any 8-character run of it (nor of its encoded forms).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProviderId } from '../../shared/providers';
import { PROVIDER_MODULES } from '../../electron/core/providers';
import { checkCredential } from '../../electron/core/verification/check';
import { LIMITS, Redactor, REDACTED, secretForms, serverCode, UNRECOGNISED_CODE } from '../../electron/core/verification/redact';
import { canaryRuns, encode, ENCODINGS, filler, startHttpEcho, startLdapEcho, startPostgresEcho, startRedisEcho, type EchoServer, type Place } from '../support/echo-servers';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** A random canary with the characters encoders treat differently (~ + / space " \ é). */
export function canary(extra: string, length = 40): string {
  for (;;) {
    const body = [...randomBytes(length)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
    const c = `${body.slice(0, 12)}${extra}${body.slice(12)}`;
    // The redactor leaves runs of words (letters of one case and separators): a random secret rarely has one of 8.
    if (!/[a-z _.-]{8}|[A-Z _.-]{8}/.test(c)) return c;
  }
}

/** Every encoded form the canary could be found in: its runs count as leaks too. */
function leakForms(secret: string): string[] {
  return [secret, ...ENCODINGS.map((e) => encode(secret, e))];
}

export function leaks(text: string, secrets: string[]): string[] {
  return secrets.flatMap((s) => leakForms(s).flatMap((f) => canaryRuns(text, f)));
}

describe('the redactor', () => {
  const secret = 'Qx7~ab+c/d e"f\\gé-h.i_j8Kz0pL3mN6';
  const r = new Redactor({ password: secret });

  it('removes every form of the secret: raw, URL- and form-encoded, JSON-escaped, base64', () => {
    const forms = secretForms(secret);
    expect(forms.length).toBeGreaterThan(20);
    for (const form of forms) expect(r.text(`before ${form} after`), form).toBe(`before ${REDACTED} after`);
  });

  it('recognises an Azure secret sent form-encoded and echoed URL-encoded (~ as %7E, either hex case)', () => {
    const azure = 'Abc8Q~kP3.x_yZ-12345678901234567890ab';
    const red = new Redactor({ clientSecret: azure });
    for (const echoed of [encodeURIComponent(azure).replace('~', '%7E'), encodeURIComponent(azure).replace('~', '%7e'), new URLSearchParams({ s: azure }).toString().slice(2)]) {
      expect(red.text(`client_secret=${echoed}&x`)).toBe(`client_secret=${REDACTED}&x`);
    }
  });

  it('finds a base64 of the secret at any offset of a longer base64 value (Basic auth, a base64 of the whole request)', () => {
    for (let lead = 0; lead < 9; lead++) {
      const encoded = Buffer.from(`${'u'.repeat(lead)}:${secret}&more`).toString('base64');
      expect(leaks(r.text(encoded), [secret]), `offset ${lead}`).toEqual([]);
    }
  });

  it('redacts before it cuts: a secret across the cut leaves no run of it, at every offset', () => {
    const limit = 120;
    for (let pad = limit - secret.length - 4; pad <= limit + 4; pad++) {
      const clipped = r.clip(`${filler(pad)}${secret}${filler(50)}`, limit);
      expect(clipped.length).toBeLessThanOrEqual(limit + 1);
      expect(leaks(clipped, [secret]), `pad ${pad}`).toEqual([]);
    }
  });

  it('removes a trailing start of a secret left at a cut (and a cut marker)', () => {
    const red = new Redactor({ token: 'hvs.ABCDEFGHIJKLMNOPQRSTUV' });
    // A server cut the token itself: its first 10 characters end the text.
    expect(red.clip(`${filler(200)} token hvs.ABCDEF`, 210)).toBe(`${filler(200)} token…`);
    expect(red.clip(`${filler(205)}${REDACTED}`, 210)).toBe(`${filler(205)}…`);
  });

  it('redacts a long run of a secret even when the server cut it or changed what is around it', () => {
    const text = `echo: ${secret.slice(3, 25)}!`;
    expect(r.text(text)).toBe(`echo: ${REDACTED}!`);
  });

  it('keeps ordinary words a weak password shares (a run of words is not taken for the secret)', () => {
    const red = new Redactor({ password: 'wrong-password-7' });
    expect(red.text('password authentication failed')).toBe('password authentication failed');
    expect(red.text('user: -passwor')).toBe('user: -passwor');
    expect(red.text('user: password-7')).toBe(`user: pa${REDACTED}`);
  });

  it('treats a service account key file by its private parts, keeping its public email and project', () => {
    const key = JSON.stringify({
      type: 'service_account',
      client_email: 'svc@p.iam.gserviceaccount.com',
      private_key: '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n',
    });
    const red = new Redactor({ serviceAccountKey: key });
    expect(red.identity({ principal: 'svc@p.iam.gserviceaccount.com' })).toEqual({ principal: 'svc@p.iam.gserviceaccount.com' });
    expect(red.text('body: MIIEvQIBADANBgkqhkiG9w0BAQEFAASC BKcwggSjAgEAAoIBAQC7')).toBe(`body: ${REDACTED} ${REDACTED}`);
  });

  it('keeps a code only when it holds no secret and looks like a code', () => {
    const red = new Redactor({ password: 'HUNTER2SECRET' });
    expect(red.code('WRONGPASS')).toBe('WRONGPASS');
    expect(red.code('HUNTER2SECRET')).toBe(UNRECOGNISED_CODE);
    expect(red.code('a b')).toBe(UNRECOGNISED_CODE);
    expect(red.code('x'.repeat(LIMITS.code + 1))).toBe(UNRECOGNISED_CODE);
    expect(serverCode('invalid_client', /^[a-z_]+$/, 'OAuthError')).toBe('invalid_client');
    expect(serverCode('Invalid Client!', /^[a-z_]+$/, 'OAuthError')).toBe('OAuthError');
    expect(serverCode(42, /^[a-z_]+$/, 'OAuthError')).toBe('OAuthError');
  });

  it('leaves text alone when there is no secret to look for, and ignores secrets too short to search for', () => {
    expect(new Redactor({}).text('anything')).toBe('anything');
    expect(new Redactor({ pin: 'ab' }).text('a cab')).toBe('a cab');
  });
});

// --- the echo sweep: every provider with a protocol that carries the secret ---

interface Target {
  provider: ProviderId;
  places: Place[];
  variants: number;
  fields: (server: EchoServer) => Record<string, string>;
  secretKey: string;
  secret: string;
}

const servers: Record<string, EchoServer> = {};

const TARGETS: Target[] = [
  { provider: 'VAULT', places: ['identity', 'message'], variants: 2, secretKey: 'token', secret: `hvs.${canary('~._-')}`, fields: (s) => ({ address: s.url }) },
  {
    provider: 'AZURE',
    places: ['identity', 'code', 'message'],
    variants: 2,
    secretKey: 'clientSecret',
    secret: canary('~Q.x_'),
    fields: (s) => ({ tenantId: 'contoso.onmicrosoft.com', clientId: '11111111-2222-3333-4444-555555555555', authorityHost: s.url }),
  },
  { provider: 'APISIX', places: ['message'], variants: 2, secretKey: 'adminApiKey', secret: canary('~+/=.'), fields: (s) => ({ endpoint: s.url }) },
  {
    provider: 'REDIS',
    places: ['identity', 'code', 'message'],
    variants: 1,
    secretKey: 'password',
    secret: canary(' ~+/"\\é%'),
    fields: (s) => ({ host: '127.0.0.1', port: String(s.port), tls: 'off' }),
  },
  {
    provider: 'POSTGRES',
    places: ['identity', 'code', 'message'],
    variants: 1,
    secretKey: 'password',
    secret: canary(' ~+/"\\é%'),
    fields: (s) => ({ host: '127.0.0.1', port: String(s.port), database: 'app', user: 'keyward_svc', tls: 'disable' }),
  },
  { provider: 'LDAP', places: ['identity', 'message'], variants: 1, secretKey: 'bindPassword', secret: canary(' ~+/"\\é%'), fields: (s) => ({ url: s.url, bindDn: 'cn=svc,dc=example,dc=org' }) },
];

const serverFor: Record<string, () => Promise<EchoServer>> = {
  VAULT: startHttpEcho,
  AZURE: startHttpEcho,
  APISIX: startHttpEcho,
  REDIS: startRedisEcho,
  POSTGRES: startPostgresEcho,
  LDAP: startLdapEcho,
};

beforeAll(async () => {
  for (const t of TARGETS) servers[t.provider] = await serverFor[t.provider]();
});

afterAll(async () => {
  for (const s of Object.values(servers)) await s.close();
});

const OPTS = { timeoutMs: 3000, maxAttempts: 1 };

/**
 * Where the reflected secret lands in what the provider itself returns (before the
 * boundary): the offset and length of its first form in the identity or the message.
 */
async function landing(t: Target, fields: Record<string, string>): Promise<{ at: number; length: number } | null> {
  const outcome = await PROVIDER_MODULES[t.provider].check({ fields, secrets: { [t.secretKey]: t.secret } }, OPTS);
  const texts =
    outcome.status === 'VALID'
      ? Object.values(outcome.identity ?? {})
          .flat()
          .map(String)
      : [outcome.error.message];
  const forms = secretForms(t.secret);
  let best: { at: number; length: number } | null = null;
  // A server that changed some characters of it (Redis's version has no spaces): its start marks where it is.
  forms.push(t.secret.slice(0, 12));
  for (const text of texts) {
    for (const f of forms) {
      const at = text.indexOf(f);
      if (at >= 0 && (!best || at < best.at || (at === best.at && f.length > best.length))) best = { at, length: f.length };
    }
  }
  return best;
}

/** The limit the secret must cross in each place: an identity field's, the message's. */
const CUT: Record<Place, number> = { identity: LIMITS.identity, message: LIMITS.message, code: LIMITS.message };

describe('echo servers: no check result holds any 8-character run of a canary', () => {
  const totals = { checks: 0, hits: 0 };
  afterAll(() => {
    // The figure for the closing note.
    console.log(`redaction sweep: ${totals.checks} checks against echo servers, ${totals.hits} canary hits`);
  });

  it.each(TARGETS.map((t) => [t.provider, t]))(
    '%s: the secret reflected across each limit, at every offset, in every encoding',
    async (_name, t) => {
      const server = servers[t.provider];
      const fields = t.fields(server);
      const secrets = { [t.secretKey]: t.secret };
      const seen: string[] = [];
      let hits = 0;
      let checks = 0;
      const before = server.hits;
      for (const place of t.places) {
        for (const encoding of ENCODINGS) {
          for (let variant = 0; variant < t.variants; variant++) {
            server.set({ place, pad: 0, encoding, variant });
            // Where the provider puts it with no padding: then pad so it crosses the cut one character at a time.
            const land = await landing(t, fields);
            expect(land, `${place} ${encoding} ${variant}: the echo reached the result`).not.toBeNull();
            const first = Math.max(0, CUT[place] - land!.at - land!.length - 2);
            const pads = [0, ...Array.from({ length: land!.length + 5 }, (_, i) => first + i)];
            for (const pad of pads) {
              server.set({ place, pad, encoding, variant });
              const result = await checkCredential({ provider: t.provider, fields }, secrets, OPTS);
              checks++;
              const text = JSON.stringify(result);
              const found = leaks(text, [t.secret]);
              if (found.length) {
                hits += found.length;
                if (seen.length < 3) seen.push(`${place} pad ${pad} ${encoding}: ${found.join(', ')} in ${text.slice(0, 400)}`);
              }
            }
          }
        }
      }
      totals.checks += checks;
      totals.hits += hits;
      // The server really was asked (and so really echoed the secret) every time.
      expect(server.hits - before).toBeGreaterThanOrEqual(checks);
      expect(seen).toEqual([]);
      expect(hits).toBe(0);
    },
    180_000,
  );

  it('never takes a Redis password as the error code when a server answers "-<password> …"', async () => {
    const fields = { host: '127.0.0.1', port: String(servers.REDIS.port), tls: 'off' };
    servers.REDIS.set({ place: 'code', pad: 0, encoding: 'raw', variant: 1 });
    for (const password of ['HUNTERSECRETPASSWORD', 'hunter2-Secret-99', 'ERRX']) {
      const result = await checkCredential({ provider: 'REDIS', fields }, { password }, OPTS);
      expect(result.status).toBe('INVALID');
      expect(['ERR', UNRECOGNISED_CODE]).toContain(result.error?.code);
      expect(JSON.stringify(result)).not.toContain(password);
    }
  });

  it('holds the secret in what the server sent (the sweep is not vacuous), and only the boundary removes it', async () => {
    const t = TARGETS.find((x) => x.provider === 'AZURE')!;
    servers.AZURE.set({ place: 'message', pad: 0, encoding: 'raw', variant: 0 });
    const raw = await PROVIDER_MODULES.AZURE.check({ fields: t.fields(servers.AZURE), secrets: { clientSecret: t.secret } }, OPTS);
    expect(leaks(JSON.stringify(raw), [t.secret]).length).toBeGreaterThan(0);
    const result = await checkCredential({ provider: 'AZURE', fields: t.fields(servers.AZURE) }, { clientSecret: t.secret }, OPTS);
    expect(result.error?.message).toContain(REDACTED);
    expect(leaks(JSON.stringify(result), [t.secret])).toEqual([]);
  });
});
