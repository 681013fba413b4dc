// The redaction sweep end to end: credentials whose endpoints are echo servers are added
// and verified through the IPC dispatcher (what the window calls), then listed, shown,
// exported and audited through the `keyward` CLI; every IPC response and event, every CLI
// output, the vault file and its WAL (as `strings` would read them) and the audit log are
// searched for any 8-character run of each provider's canary: the goal is 0.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeywardCore } from '../../electron/core/app/core';
import { createDispatcher } from '../../electron/core/app/handlers';
import { vaultFilePath } from '../../electron/core/paths';
import { LIMITS } from '../../electron/core/verification/redact';
import { canaryRuns, encode, ENCODINGS, startHttpEcho, startLdapEcho, startPostgresEcho, startRedisEcho, type EchoServer } from '../support/echo-servers';
import { PASSPHRASE, removeTempDirs } from '../support/fixtures';
import { runCli } from './run-cli';
import { newCliVault } from './rotate-support';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function canary(extra: string): string {
  for (;;) {
    const body = Array.from({ length: 40 }, () => ALPHABET[Math.floor(Math.random() * ALPHABET.length)]).join('');
    const c = `${body.slice(0, 12)}${extra}${body.slice(12)}`;
    if (!/[a-z _.-]{8}|[A-Z _.-]{8}/.test(c)) return c;
  }
}

/** What `strings` prints: runs of 4+ printable characters. */
function strings(bytes: Buffer): string {
  return (bytes.toString('latin1').match(/[\x20-\x7e]{4,}/g) ?? []).join('\n');
}

const runsOf = (text: string, secrets: string[]) => secrets.flatMap((s) => [s, ...ENCODINGS.map((e) => encode(s, e))].flatMap((f) => canaryRuns(text, f)));

let http: EchoServer;
let redis: EchoServer;
let pg: EchoServer;
let ldap: EchoServer;
beforeAll(async () => {
  [http, redis, pg, ldap] = await Promise.all([startHttpEcho(), startRedisEcho(), startPostgresEcho(), startLdapEcho()]);
});
afterAll(async () => {
  for (const s of [http, redis, pg, ldap]) await s?.close();
  removeTempDirs();
});

describe('canaries through the whole product', () => {
  it('leave no 8-character run in any IPC response, CLI output, the vault file, its WAL or the audit log', async () => {
    const { dir, env } = await newCliVault();
    const creds = [
      { name: 'vault-echo', provider: 'VAULT', type: 'TOKEN', key: 'token', secret: `hvs.${canary('~._-')}`, fields: { address: http.url }, server: http },
      {
        name: 'azure-echo',
        provider: 'AZURE',
        type: 'CLIENT_SECRET',
        key: 'clientSecret',
        secret: canary('~Q.x_'),
        fields: { tenantId: 'contoso.onmicrosoft.com', clientId: '11111111-2222-3333-4444-555555555555', authorityHost: http.url },
        server: http,
      },
      { name: 'redis-echo', provider: 'REDIS', type: 'PASSWORD', key: 'password', secret: canary(' ~+/"\\é%'), fields: { host: '127.0.0.1', port: String(redis.port), tls: 'off' }, server: redis },
      {
        name: 'pg-echo',
        provider: 'POSTGRES',
        type: 'PASSWORD',
        key: 'password',
        secret: canary(' ~+/"\\é%'),
        fields: { host: '127.0.0.1', port: String(pg.port), database: 'app', user: 'svc', tls: 'disable' },
        server: pg,
      },
      { name: 'ldap-echo', provider: 'LDAP', type: 'BIND_PASSWORD', key: 'bindPassword', secret: canary(' ~+/"\\é%'), fields: { url: ldap.url, bindDn: 'cn=svc,dc=example,dc=org' }, server: ldap },
    ] as const;
    const secrets = creds.map((c) => c.secret);
    const core = new KeywardCore({ vaultDir: dir, passphrase: PASSPHRASE, check: { timeoutMs: 3000, maxAttempts: 1 } });
    await core.start();
    const events: unknown[] = [];
    core.events.onAny((event, payload) => events.push({ event, payload }));
    const dispatch = createDispatcher(core);
    const responses: unknown[] = [];
    const ids: string[] = [];
    for (const c of creds) {
      const r = await dispatch('credentials.add', { name: c.name, provider: c.provider, type: c.type, fields: { ...c.fields, [c.key]: c.secret }, verify: false });
      responses.push(r);
      expect(r.ok, JSON.stringify(r)).toBe(true);
      ids.push((r as { ok: true; data: { id: string } }).data.id);
    }
    let checks = 0;
    for (const [i, c] of creds.entries()) {
      for (const place of ['identity', 'message', 'code'] as const) {
        // Around each limit, and with no padding at all.
        for (const pad of [0, LIMITS.identity - 40, LIMITS.identity - 10, LIMITS.message - 300, LIMITS.message - 120, LIMITS.message - 20]) {
          c.server.set({ place, pad, encoding: ENCODINGS[checks % ENCODINGS.length], variant: checks % 2 });
          responses.push(await dispatch('credentials.verify', { id: ids[i] }));
          checks++;
        }
      }
    }
    responses.push(await dispatch('credentials.list', {}), await dispatch('inventory.export', { format: 'json', keyIds: 'full' }), await dispatch('audit.list', {}));
    // The vault file and its WAL while the app has them open (the WAL holds the latest writes).
    const file = vaultFilePath(dir);
    const walWhileOpen = existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`) : Buffer.alloc(0);
    expect(walWhileOpen.length).toBeGreaterThan(0);
    await core.close();

    const cli: string[] = [];
    for (const args of [
      ['list', '--json'],
      ['list'],
      ...creds.map((c) => ['show', c.name, '--json']),
      ['export', 'inventory', '--format', 'json'],
      ['export', 'inventory'],
      ['audit', '--json'],
      ['audit'],
    ]) {
      const r = await runCli(args, { env });
      cli.push(r.stdout, r.stderr);
    }
    const places: Record<string, string> = {
      ipc: JSON.stringify(responses),
      events: JSON.stringify(events),
      cli: cli.join('\n'),
      vaultFile: strings(readFileSync(file)),
      wal: strings(walWhileOpen),
    };
    const hits = Object.fromEntries(Object.entries(places).map(([k, text]) => [k, runsOf(text, secrets).length]));
    console.log(`end-to-end canary hits after ${checks} verifies: ${JSON.stringify(hits)}`);
    expect(hits).toEqual({ ipc: 0, events: 0, cli: 0, vaultFile: 0, wal: 0 });
    // Not vacuous: the echo reached what was stored (redacted), and the CLI printed the credentials.
    expect(places.ipc).toContain('[redacted]');
    for (const c of creds) expect(places.cli).toContain(c.name);
  }, 240_000);
});
