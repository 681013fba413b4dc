import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeywardCore } from '../electron/core/app/core';
import { createBackup } from '../electron/core/backup/vault-backup';
import { summaryOf } from '../electron/core/inventory/service';
import { credentialReportCsv, type ReportUser } from '../test/support/credential-report';
import { figure, time, type Figure } from './report';

/** Credential-report import (5,000 users), the inventory summary and a backup of 10,000 credentials. */
export async function benchInventory(): Promise<Figure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'keyward-bench-inventory-'));
  const core = new KeywardCore({ vaultDir: dir, passphrase: 'bench passphrase 123' });
  await core.init('passphrase', 'bench passphrase 123');
  try {
    const N = 10_000;
    const db = core.openVault.db;
    db.transaction(() => {
      for (let i = 0; i < N; i++) {
        core.credentials.repo.insert(
          { id: `bench-${i}`, name: `bench-${i}`, provider: 'AWS', type: 'ACCESS_KEY', fields: { accessKeyId: `AKIA${String(i).padStart(16, '0')}`, region: 'us-east-1' } },
          { secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
          new Date().toISOString(),
        );
        if (i < 5000) {
          core.credentials.repo.recordCheck(`bench-${i}`, {
            status: 'VALID',
            identity: { account: '123456789012', arn: `arn:aws:iam::123456789012:user/user-${i}`, userId: 'AIDA' },
            error: null,
            diagnosis: null,
            at: new Date().toISOString(),
          });
        }
      }
    })();
    const users: ReportUser[] = Array.from({ length: 5000 }, (_, i) => ({
      user: `user-${i}`,
      keys: [
        {
          active: true,
          lastRotated: new Date(Date.now() - (i % 200) * 86_400_000).toISOString().replace('.000Z', '+00:00'),
          lastUsed: i % 4 ? new Date().toISOString() : null,
          region: 'us-east-1',
          service: 's3',
        },
      ],
    }));
    const csv = credentialReportCsv(users);
    const importMs = await time(() => core.reports.import(csv, { source: 'file' }));
    const summaryMs = await time(() => summaryOf(core));
    let bytes = 0;
    const backupMs = await time(async () => {
      bytes = (await createBackup(core.openVault, core.audit, 'bench backup passphrase')).bytes.length;
    });
    return [
      figure('import a 5,000-user credential report (parse, match, store)', importMs, 1000, 'ms'),
      figure(`inventory summary over ${N} credentials`, summaryMs, 300, 'ms'),
      figure(`encrypted backup of ${N} credentials (${(bytes / 1024 / 1024).toFixed(1)} MB, scrypt N=2^17 included)`, backupMs, 3000, 'ms'),
    ];
  } finally {
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
