import { describe, expect, it } from 'vitest';
import type { CredentialRecord } from '../../electron/core/credentials/repo';
import { DEFAULT_INVENTORY_SETTINGS } from '../../electron/core/inventory/summary';
import type { KeyUsage } from '../../electron/core/inventory/report';
import { computeAttention, digestOf, type AttentionInput, type StatusHistory } from '../../electron/core/watch/attention';
import { WatchScheduler } from '../../electron/core/watch/scheduler';
import { inQuietHours } from '../../electron/core/watch/service';
import { AutoLock } from '../../electron/core/lock/autolock';
import { FakeClock } from '../support/fake-clock';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-12-01T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

function cred(id: string, over: Partial<CredentialRecord> = {}): CredentialRecord {
  return {
    id,
    name: `cred-${id}`,
    provider: 'AWS',
    type: 'ACCESS_KEY',
    status: 'VALID',
    createdAt: iso(NOW - 200 * DAY),
    updatedAt: iso(NOW - 200 * DAY),
    lastVerifiedAt: iso(NOW - HOUR),
    verifying: false,
    fields: { accessKeyId: `AKIAEXAMPLE0000000${id.padStart(2, '0')}`, region: 'us-east-1' },
    secretFields: ['secretAccessKey'],
    identity: null,
    error: null,
    diagnosis: null,
    ...over,
  } as CredentialRecord;
}

function input(over: Partial<AttentionInput>): AttentionInput {
  return {
    credentials: [],
    history: new Map(),
    usage: new Map(),
    created: new Map(),
    settings: DEFAULT_INVENTORY_SETTINGS,
    report: null,
    openRotations: [],
    now: NOW,
    ...over,
  };
}

const kinds = (i: AttentionInput) => computeAttention(i).map((x) => `${x.kind}:${x.credentialId ?? '-'}`);

describe('what needs attention', () => {
  it('flags a credential that turned Invalid after being Valid, not one that was never Valid', () => {
    const history = new Map<string, StatusHistory>([
      ['1', { statusSince: iso(NOW - HOUR), lastValidAt: iso(NOW - 2 * DAY) }],
      ['2', { statusSince: iso(NOW - HOUR), lastValidAt: null }],
    ]);
    const items = computeAttention(input({ credentials: [cred('1', { status: 'INVALID', error: { code: 'InvalidClientTokenId', message: 'x' } }), cred('2', { status: 'INVALID' })], history }));
    expect(items.map((i) => `${i.kind}:${i.credentialId}`)).toEqual(['turned-invalid:1']);
    expect(items[0]).toMatchObject({ severity: 'critical', action: { kind: 'diagnosis', page: 'credentials', credentialId: '1' }, maskedKeyId: 'AKIA************0001' });
    expect(items[0].detail).toContain('InvalidClientTokenId');
  });

  it('flags UNREACHABLE only from 24 hours on', () => {
    const at = (h: number) => new Map<string, StatusHistory>([['1', { statusSince: iso(NOW - h * HOUR), lastValidAt: null }]]);
    const c = [cred('1', { status: 'UNREACHABLE' })];
    expect(kinds(input({ credentials: c, history: at(23.99) }))).toEqual([]);
    expect(kinds(input({ credentials: c, history: at(24) }))).toEqual(['unreachable-long:1']);
  });

  it('judges key age on its boundary days: near from max−14, past from max', () => {
    const created = (days: number) => new Map([['1', iso(NOW - days * DAY)]]);
    const c = [cred('1')];
    expect(kinds(input({ credentials: c, created: created(75) }))).toEqual([]);
    expect(kinds(input({ credentials: c, created: created(76) }))).toEqual(['near-max-age:1']);
    expect(kinds(input({ credentials: c, created: created(89) }))).toEqual(['near-max-age:1']);
    expect(kinds(input({ credentials: c, created: created(90) }))).toEqual(['past-max-age:1']);
  });

  it('warns of secrets and tokens that expire within 14 days, and of those that have', () => {
    const azure = (date: string) => [cred('1', { provider: 'AZURE', type: 'CLIENT_SECRET', fields: { tenantId: 't', clientId: 'c', expiresAt: date } } as Partial<CredentialRecord>)];
    // An Azure date means the end of that day, UTC.
    expect(kinds(input({ credentials: azure('2026-12-15') }))).toEqual([]);
    expect(kinds(input({ credentials: azure('2026-12-14') }))).toEqual(['secret-expiring:1']);
    expect(kinds(input({ credentials: azure('2026-11-30') }))).toEqual(['secret-expired:1']);
    const vault = [cred('2', { provider: 'VAULT', type: 'TOKEN', fields: { address: 'https://v' }, identity: { expiresAt: iso(NOW + HOUR) } } as Partial<CredentialRecord>)];
    const [item] = computeAttention(input({ credentials: vault }));
    expect(item.kind).toBe('secret-expiring');
    expect(item.title).toBe('Vault token of cred-2 expires today');
  });

  it('says a credential report is stale from 30 days on', () => {
    expect(kinds(input({ report: { importedAt: iso(NOW - 29 * DAY), generatedAt: null } }))).toEqual([]);
    expect(kinds(input({ report: { importedAt: iso(NOW - 30 * DAY), generatedAt: null } }))).toEqual(['report-stale:-']);
  });

  it('lists unfinished and held rotations with the way back to them', () => {
    const rot = (id: string, held: boolean) => ({
      id,
      credentialId: '1',
      actingCredentialId: null,
      userName: 'u',
      state: 'IN_PROGRESS' as const,
      phase: held ? ('delete-old' as const) : ('wait-for-key' as const),
      oldAccessKeyId: null,
      newAccessKeyId: null,
      deleteFirstKeyId: null,
      error: null,
      createdAt: iso(NOW),
      updatedAt: iso(NOW),
      steps: [],
      held,
      runId: null,
    });
    const items = computeAttention(input({ credentials: [cred('1')], openRotations: [rot('r1', false), rot('r2', true)] }));
    expect(items.map((i) => [i.kind, i.action.rotationId])).toEqual([
      ['rotation-unfinished', 'r1'],
      ['rotation-held', 'r2'],
    ]);
  });

  it('flags keys the report shows unused for 90 days (or never used)', () => {
    const usage = (last: string | null) =>
      new Map<string, KeyUsage>([
        [
          '1',
          { credentialId: '1', reportId: 'r', reportGeneratedAt: null, reportImportedAt: iso(NOW), active: true, lastRotated: null, lastUsedDate: last, lastUsedRegion: null, lastUsedService: null },
        ],
      ]);
    expect(kinds(input({ credentials: [cred('1')], usage: usage(iso(NOW - 89 * DAY)) }))).toEqual([]);
    expect(kinds(input({ credentials: [cred('1')], usage: usage(iso(NOW - 90 * DAY)) }))).toEqual(['key-unused:1']);
    expect(kinds(input({ credentials: [cred('1')], usage: usage(null) }))).toEqual(['key-unused:1']);
  });

  it('keys an occurrence so the same one is told once, and a new one again', () => {
    const c = [cred('1', { status: 'INVALID' })];
    const first = computeAttention(input({ credentials: c, history: new Map([['1', { statusSince: iso(NOW - HOUR), lastValidAt: iso(NOW - DAY) }]]) }));
    const same = computeAttention(input({ credentials: c, now: NOW + HOUR, history: new Map([['1', { statusSince: iso(NOW - HOUR), lastValidAt: iso(NOW - DAY) }]]) }));
    const again = computeAttention(input({ credentials: c, history: new Map([['1', { statusSince: iso(NOW + DAY), lastValidAt: iso(NOW) }]]) }));
    expect(same[0].key).toBe(first[0].key);
    expect(again[0].key).not.toBe(first[0].key);
  });

  it('makes one digest line, naming a single item and counting the rest, with no secret', () => {
    const history = new Map<string, StatusHistory>([
      ['1', { statusSince: iso(NOW), lastValidAt: iso(NOW - DAY) }],
      ['2', { statusSince: iso(NOW), lastValidAt: iso(NOW - DAY) }],
    ]);
    const items = computeAttention(
      input({
        credentials: [
          cred('1', { status: 'INVALID' }),
          cred('2', { status: 'INVALID' }),
          cred('3', { provider: 'AZURE', type: 'CLIENT_SECRET', name: 'entra-app', fields: { expiresAt: '2026-12-04' } } as Partial<CredentialRecord>),
        ],
        history,
      }),
    );
    const digest = digestOf(items)!;
    expect(digest.body).toBe('2 credentials turned Invalid, Azure client secret of entra-app expires in 3 days');
    expect(digest.title).toContain('need attention');
    expect(digestOf([])).toBeNull();
  });

  it('computes the list for 10,000 credentials from the vault data without a network', () => {
    const creds = Array.from({ length: 10_000 }, (_, i) => cred(String(i), { status: i % 7 === 0 ? 'INVALID' : 'VALID' }));
    const history = new Map(creds.map((c) => [c.id, { statusSince: iso(NOW - 2 * DAY), lastValidAt: iso(NOW - 3 * DAY) }]));
    const created = new Map(creds.map((c, i) => [c.id, iso(NOW - (i % 120) * DAY)]));
    const items = computeAttention(input({ credentials: creds, history, created }));
    expect(items.filter((i) => i.kind === 'turned-invalid')).toHaveLength(Math.ceil(10_000 / 7));
    expect(items.filter((i) => i.kind === 'past-max-age').length).toBeGreaterThan(0);
  });
});

describe('quiet hours', () => {
  it('covers a range within a day and one that wraps midnight, in local time', () => {
    const at = (h: number) => new Date(2026, 11, 1, h, 30).getTime();
    expect(inQuietHours({ start: 9, end: 17 }, at(9))).toBe(true);
    expect(inQuietHours({ start: 9, end: 17 }, at(17))).toBe(false);
    expect(inQuietHours({ start: 22, end: 7 }, at(23))).toBe(true);
    expect(inQuietHours({ start: 22, end: 7 }, at(6))).toBe(true);
    expect(inQuietHours({ start: 22, end: 7 }, at(7))).toBe(false);
    expect(inQuietHours(null, at(3))).toBe(false);
  });
});

describe('the check schedule', () => {
  function schedule(opts: { last?: number | null; paused?: () => 'locked' | 'offline' | null; runMs?: number } = {}) {
    const clock = new FakeClock(NOW);
    let last = opts.last ?? null;
    const runs: number[] = [];
    const s = new WatchScheduler({
      clock,
      intervalMs: () => 6 * HOUR,
      lastRunAt: () => last,
      paused: opts.paused ?? (() => null),
      firstRunDelayMs: 60_000,
      run: async () => {
        runs.push(clock.now());
        await new Promise<void>((resolve) => clock.setTimeout(resolve, opts.runMs ?? 0));
        last = runs.at(-1)!;
      },
    });
    return { clock, s, runs };
  }

  it('fires on time: first a minute after start in a new vault, then every interval', async () => {
    const { clock, s, runs } = schedule();
    s.start();
    await clock.advance(59_999);
    expect(runs).toEqual([]);
    await clock.advance(1);
    await clock.advance(6 * HOUR);
    await clock.advance(6 * HOUR);
    expect(runs).toEqual([NOW + 60_000, NOW + 60_000 + 6 * HOUR, NOW + 60_000 + 12 * HOUR]);
  });

  it('picks up from the last recorded run after a restart', async () => {
    const { clock, s, runs } = schedule({ last: NOW - 5 * HOUR });
    s.start();
    expect(s.nextRunAt()).toBe(NOW + HOUR);
    await clock.advance(HOUR);
    expect(runs).toEqual([NOW + HOUR]);
  });

  it('runs once, at once, after the machine wakes past the due time (no pile-up)', async () => {
    const { clock, s, runs } = schedule({ last: NOW });
    s.start();
    clock.sleep(20 * HOUR); // asleep: three runs missed
    s.poke(); // resume from suspend
    await clock.advance(0);
    expect(runs).toEqual([NOW + 20 * HOUR]);
    expect(s.nextRunAt()).toBe(NOW + 26 * HOUR);
    expect(clock.pending).toBe(1);
  });

  it('skips while locked and runs once when unlocked', async () => {
    let locked: 'locked' | null = 'locked';
    const { clock, s, runs } = schedule({ last: NOW - 6 * HOUR, paused: () => locked });
    s.start();
    await clock.advance(12 * HOUR);
    expect(runs).toEqual([]);
    locked = null;
    s.poke();
    await clock.advance(0);
    expect(runs).toEqual([NOW + 12 * HOUR]);
  });

  it('waits while offline and runs once when the network is back', async () => {
    let offline: 'offline' | null = 'offline';
    const { clock, s, runs } = schedule({ last: NOW - 6 * HOUR, paused: () => offline });
    s.start();
    await clock.advance(30 * 60_000);
    expect(runs).toEqual([]);
    offline = null;
    await clock.advance(60_000);
    expect(runs).toHaveLength(1);
    await clock.advance(60 * 60_000);
    expect(runs).toHaveLength(1);
  });

  it('does not start a second run while one is still going', async () => {
    const { clock, s, runs } = schedule({ last: NOW - 6 * HOUR, runMs: 7 * HOUR });
    s.start();
    await clock.advance(0);
    const manual = s.runNow();
    await clock.advance(7 * HOUR);
    await manual;
    expect(runs).toEqual([NOW]);
    // The slot at +6 h passed while the first run went on: skipped, the next is at +12 h.
    expect(s.nextRunAt()).toBe(NOW + 12 * HOUR);
    await clock.advance(5 * HOUR);
    expect(runs).toEqual([NOW, NOW + 12 * HOUR]);
  });

  it('does not retry at once a run that failed before recording itself', async () => {
    const clock = new FakeClock(NOW);
    let calls = 0;
    const s = new WatchScheduler({
      clock,
      intervalMs: () => HOUR,
      lastRunAt: () => NOW - 2 * HOUR,
      paused: () => null,
      run: async () => {
        calls++;
        throw new Error('boom');
      },
    });
    s.start();
    await clock.advance(30 * 60_000);
    expect(calls).toBe(1);
    await clock.advance(HOUR);
    expect(calls).toBe(2);
  });
});

describe('auto-lock', () => {
  it('locks after the idle limit, and input resets the wait', async () => {
    const clock = new FakeClock(NOW);
    let lastInput = NOW;
    let locks = 0;
    const auto = new AutoLock({ clock, idle: { idleSeconds: () => (clock.now() - lastInput) / 1000 }, minutes: () => 15, lock: () => locks++, pollMs: 10_000 });
    auto.start();
    await clock.advance(10 * 60_000);
    lastInput = clock.now();
    await clock.advance(14 * 60_000);
    expect(locks).toBe(0);
    await clock.advance(60_000);
    expect(locks).toBe(1);
    await clock.advance(60 * 60_000);
    expect(locks).toBe(1);
  });

  it('never locks when set to never', async () => {
    const clock = new FakeClock(NOW);
    let locks = 0;
    const auto = new AutoLock({ clock, idle: { idleSeconds: () => (clock.now() - NOW) / 1000 }, minutes: () => null, lock: () => locks++ });
    auto.start();
    await clock.advance(48 * HOUR);
    expect(locks).toBe(0);
  });
});
