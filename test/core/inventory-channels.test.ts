import { afterEach, describe, expect, it } from 'vitest';
import { KeywardCore } from '../../electron/core/app/core';
import { createDispatcher } from '../../electron/core/app/handlers';
import { credentialReportCsv } from '../support/credential-report';
import { fakeAccessKeyId, fakeSecretAccessKey, PASSPHRASE, removeTempDirs, tempDir } from '../support/fixtures';

afterEach(removeTempDirs);

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();

async function seeded() {
  const core = new KeywardCore({ vaultDir: tempDir(), check: { timeoutMs: 500 } });
  await core.init('passphrase', PASSPHRASE);
  const secrets: string[] = [];
  const ids: Record<string, string> = {};
  for (const [name, user, verifiedDaysAgo] of [
    ['old', 'u-old', 1],
    ['soon', 'u-soon', 40],
    ['fresh', 'u-fresh', null],
  ] as const) {
    const secret = fakeSecretAccessKey();
    secrets.push(secret);
    const c = core.credentials.add({ name, provider: 'AWS', type: 'ACCESS_KEY', fields: { accessKeyId: fakeAccessKeyId(), secretAccessKey: secret, region: 'us-east-1' }, verify: false });
    ids[name] = c.id;
    if (verifiedDaysAgo !== null) {
      core.credentials.repo.recordCheck(c.id, {
        status: 'VALID',
        identity: { account: '123456789012', arn: `arn:aws:iam::123456789012:user/${user}`, userId: 'AIDA' },
        error: null,
        diagnosis: null,
        at: daysAgo(verifiedDaysAgo),
      });
    }
  }
  const report = credentialReportCsv([
    { user: 'u-old', keys: [{ active: true, lastRotated: daysAgo(200), lastUsed: null, region: null, service: null }] },
    { user: 'u-soon', keys: [{ active: true, lastRotated: daysAgo(80), lastUsed: daysAgo(2), region: 'us-east-1', service: 's3' }] },
    { user: 'u-other', keys: [{ active: true, lastRotated: daysAgo(5), lastUsed: null, region: null, service: null }] },
  ]);
  return { core, dispatch: createDispatcher(core), secrets, ids, report };
}

async function ok<T>(p: Promise<{ ok: boolean; data?: unknown; error?: unknown }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.data as T;
}

describe('inventory channels', () => {
  it('imports a report, then counts keys past and near the maximum age, unused and unverified, each with its members', async () => {
    const { core, dispatch, ids, report, secrets } = await seeded();
    const responses: unknown[] = [];
    try {
      const imported = await ok<{ matched: unknown[]; notInKeyward: Array<{ user: string }> }>(dispatch('inventory.importReport', { text: report, fileName: 'r.csv' }));
      expect(imported.matched).toHaveLength(2);
      expect(imported.notInKeyward.map((k) => k.user)).toEqual(['u-other']);
      const s = await ok<{ figures: Record<string, number>; total: number; ageBins: Array<{ count: number }>; nextDue: Array<{ name: string; dueInDays: number }>; report: { notInKeyward: number } }>(
        dispatch('inventory.summary', {}),
      );
      responses.push(imported, s);
      expect(s.total).toBe(3);
      expect(s.figures).toEqual({ pastMaxAge: 1, approachingMaxAge: 1, unused: 1, neverVerified: 1, staleVerification: 1, secretsExpiring: 0 });
      expect(s.ageBins.reduce((n, b) => n + b.count, 0)).toBe(2);
      expect(s.nextDue.map((d) => [d.name, d.dueInDays])).toEqual([
        ['old', -110],
        ['soon', 10],
      ]);
      expect(s.report.notInKeyward).toBe(1);
      expect(await ok(dispatch('inventory.figure', { figure: 'pastMaxAge' }))).toEqual({ ids: [ids.old] });
      expect(await ok(dispatch('inventory.figure', { figure: 'neverVerified' }))).toEqual({ ids: [ids.fresh] });
      expect(await ok(dispatch('inventory.keyUsage', { credentialId: ids.old }))).toMatchObject({ keyAgeDays: 200, lastUsedDate: null, keyActive: true });
      expect(await ok(dispatch('inventory.keyUsage', { credentialId: ids.fresh }))).toBeNull();
      // A stricter maximum age moves "soon" past it.
      await ok(dispatch('inventory.setSettings', { maxAgeDays: 60, warnDays: 14, unusedDays: 90, staleDays: 30 }));
      expect((await ok<{ figures: Record<string, number> }>(dispatch('inventory.summary', {}))).figures.pastMaxAge).toBe(2);
      const refused = await dispatch('inventory.setSettings', { maxAgeDays: 10, warnDays: 14, unusedDays: 90, staleDays: 30 });
      expect(refused).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
      const csv = await ok<{ content: string; fileName: string }>(dispatch('inventory.export', { format: 'csv' }));
      responses.push(csv);
      expect(csv.fileName).toMatch(/\.csv$/);
      expect(csv.content.split('\r\n')).toHaveLength(5);
      for (const r of responses) for (const secret of secrets) expect(JSON.stringify(r)).not.toContain(secret);
    } finally {
      await core.close();
    }
  });

  it('backs up over IPC and restores into an app with no vault yet, which then opens with everything', async () => {
    const { core, dispatch, secrets, ids } = await seeded();
    let restoredCore: KeywardCore | null = null;
    try {
      const backup = await ok<{ base64: string; credentials: number }>(dispatch('inventory.backup', { passphrase: 'a backup passphrase' }));
      expect(backup.credentials).toBe(3);
      for (const s of secrets) expect(Buffer.from(backup.base64, 'base64').includes(Buffer.from(s))).toBe(false);
      restoredCore = new KeywardCore({ vaultDir: tempDir() });
      const d2 = createDispatcher(restoredCore);
      const wrong = await d2('inventory.restore', { base64: backup.base64, passphrase: 'wrong passphrase!!', vaultPassphrase: 'new vault passphrase' });
      expect(wrong).toMatchObject({ ok: false, error: { message: expect.stringMatching(/passphrase is wrong/) } });
      expect(restoredCore.status().state).toBe('NOT_INITIALIZED');
      const r = await ok<{ mode: string }>(d2('inventory.restore', { base64: backup.base64, passphrase: 'a backup passphrase', vaultPassphrase: 'new vault passphrase' }));
      expect(r.mode).toBe('restored');
      expect(restoredCore.status().state).toBe('UNLOCKED');
      expect(restoredCore.credentials.repo.secretsOf(ids.old).secretAccessKey).toBe(secrets[0]);
      expect(restoredCore.audit.verify()).toMatchObject({ ok: true });
      const doctor = await ok<{ ok: boolean }>(d2('inventory.doctor', {}));
      expect(doctor.ok).toBe(true);
      // Merging the same backup into itself adds nothing and says why.
      const merged = await ok<{ mode: string; conflicts: unknown[] }>(d2('inventory.restore', { base64: backup.base64, passphrase: 'a backup passphrase', merge: true }));
      expect(merged).toMatchObject({ mode: 'merged', added: [] });
      expect(merged.conflicts).toHaveLength(3);
    } finally {
      await core.close();
      await restoredCore?.close();
    }
  });
});
