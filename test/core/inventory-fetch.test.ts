import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KeywardCore } from '../../electron/core/app/core';
import { fetchCredentialReport } from '../../electron/core/inventory/fetch';
import { startAwsTestServer, type AwsTestServer } from '../support/aws-server';
import { setCredentialReportGenerationMs } from '../support/aws-server/iam-report';
import { PASSPHRASE, removeTempDirs, tempDir } from '../support/fixtures';

let aws: AwsTestServer;
beforeAll(async () => {
  aws = await startAwsTestServer();
});
afterAll(async () => aws?.close());
afterEach(removeTempDirs);

let n = 0;
async function coreWithKeys() {
  const core = new KeywardCore({ vaultDir: tempDir(), check: { timeoutMs: 3000 } });
  await core.init('passphrase', PASSPHRASE);
  const suffix = ++n;
  aws.state.createUser(`admin-${suffix}`);
  aws.state.createUser(`app-${suffix}`);
  const admin = aws.state.createAccessKey(`admin-${suffix}`);
  // The app user has two keys; the vault holds the newer one.
  aws.state.createAccessKey(`app-${suffix}`, { createDate: new Date('2025-01-01T00:00:00Z') });
  const appNew = aws.state.createAccessKey(`app-${suffix}`, { createDate: new Date('2026-06-01T00:00:00Z') });
  const add = async (name: string, k: { accessKeyId: string; secretAccessKey: string }) => {
    const c = core.credentials.add({
      name,
      provider: 'AWS',
      type: 'ACCESS_KEY',
      fields: { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey, region: 'us-east-1', endpointUrl: aws.url },
      verify: false,
    });
    return core.credentials.verify(c.id);
  };
  const a = await add('admin', admin);
  const app = await add('app', appNew);
  expect([a.status, app.status]).toEqual(['VALID', 'VALID']);
  return { core, adminId: a.id, appId: app.id, suffix };
}

describe('Fetch report', () => {
  it('generates, waits out ReportInProgress, imports, and tells two keys of one user apart by CreateDate', async () => {
    const { core, adminId, appId, suffix } = await coreWithKeys();
    setCredentialReportGenerationMs(aws.state, 400);
    try {
      const admin = core.credentials.repo.get(adminId)!;
      const s = await fetchCredentialReport(admin, core.credentials.repo.secretsOf(adminId), core.credentials.repo.list(), core.reports, { firstPollMs: 100 });
      expect(s.source).toBe('fetch');
      expect(s.generatedAt).not.toBeNull();
      expect(s.keyDatesLearned).toBe(2);
      const app = s.matched.find((k) => k.credentialId === appId);
      expect(app).toMatchObject({ user: `app-${suffix}`, keyIndex: 2, lastRotated: '2026-06-01T00:00:00.000Z' });
      expect(s.notInKeyward.some((k) => k.user === `app-${suffix}` && k.keyIndex === 1)).toBe(true);
      expect(core.audit.list({ action: 'inventory.report.imported' })[0]).toMatchObject({ credentialId: adminId, details: { source: 'fetch' } });
      expect(aws.requests.some((r) => r.action === 'GetCredentialReport' && r.errorCode === 'ReportInProgress')).toBe(true);
    } finally {
      setCredentialReportGenerationMs(aws.state, 0);
      await core.close();
    }
  });

  it('says which permission is missing when the credential may not generate reports', async () => {
    const { core } = await coreWithKeys();
    try {
      aws.state.createUser(`viewer-${n}`, { allow: ['sts:*'] });
      const k = aws.state.createAccessKey(`viewer-${n}`);
      const c = core.credentials.add({
        name: 'viewer',
        provider: 'AWS',
        type: 'ACCESS_KEY',
        fields: { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey, region: 'us-east-1', endpointUrl: aws.url },
        verify: false,
      });
      await expect(fetchCredentialReport(core.credentials.repo.get(c.id)!, core.credentials.repo.secretsOf(c.id), [], core.reports)).rejects.toThrow(
        /GenerateCredentialReport failed: AccessDenied.*needs iam:GenerateCredentialReport/,
      );
    } finally {
      await core.close();
    }
  });
});
