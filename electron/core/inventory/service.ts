import { dirname } from 'node:path';
import type { KeywardCore } from '../app/core';
import { createBackup, mergeBackup, readBackup, restoreVault, writeBackupFile, type MergeOptions, type MergeResult } from '../backup/vault-backup';
import { runDoctor, type DoctorReport } from '../doctor/doctor';
import { KeywardError } from '../errors';
import { inventoryCsv, inventoryRows } from './export';
import { fetchCredentialReport } from './fetch';
import type { ReportSummary } from './report';
import { readInventorySettingsFrom } from './settings';
import { figureMembers, inventorySummary, type Figure, type InventorySettings, type InventorySummary } from './summary';
import { isoNow } from '../ports/clock';

// The inventory feature over the core: what the IPC handlers call.

function readInventorySettings(core: KeywardCore): InventorySettings {
  return readInventorySettingsFrom(core.openVault.db);
}

export function writeInventorySettings(core: KeywardCore, s: InventorySettings): InventorySettings {
  if (s.warnDays >= s.maxAgeDays) throw new KeywardError('INVALID_INPUT', 'The warning window must be shorter than the maximum key age.');
  core.openVault.tx(() => {
    core.openVault.db.prepare("INSERT INTO meta (key, value) VALUES ('inventory_settings', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(JSON.stringify(s));
    core.audit.append('inventory.settings.changed', { details: { ...s } });
  });
  return s;
}

export function summaryOf(core: KeywardCore, now = core.clock.now()): InventorySummary {
  const latest = core.reports.latest();
  return inventorySummary(
    core.credentials.repo.list(),
    core.reports.keyUsage(),
    core.reports.keyCreatedAt(),
    latest ? { source: latest.source, generatedAt: latest.generatedAt, importedAt: latest.importedAt, account: latest.account, notInKeyward: latest.notInKeyward.length } : null,
    readInventorySettings(core),
    now,
  );
}

export function figureIds(core: KeywardCore, figure: Figure): string[] {
  return figureMembers(figure, core.credentials.repo.list(), core.reports.keyUsage(), core.reports.keyCreatedAt(), readInventorySettings(core), core.clock.now());
}

export function exportInventory(core: KeywardCore, format: 'csv' | 'json', keyIds: 'masked' | 'full') {
  const rows = inventoryRows(core.credentials.repo.list(), core.reports.keyUsage(), core.reports.keyCreatedAt(), { keyIds, now: new Date(core.clock.now()) });
  // A vault open read-only (damaged, or a read-only folder) can still be read out; it cannot record that it was.
  const audited = !core.openVault.readOnly;
  if (audited) core.audit.append('inventory.exported', { details: { format, keyIds, credentials: rows.length } });
  const day = isoNow(core.clock).slice(0, 10);
  return format === 'json'
    ? { fileName: `keyward-inventory-${day}.json`, mimeType: 'application/json', content: `${JSON.stringify(rows, null, 2)}\n`, rows: rows.length, audited }
    : { fileName: `keyward-inventory-${day}.csv`, mimeType: 'text/csv', content: inventoryCsv(rows), rows: rows.length, audited };
}

/** One credential's key age and last use, or null when no report or ListAccessKeys told us. */
export function keyUsageOf(core: KeywardCore, credentialId: string) {
  const rec = core.credentials.find(credentialId);
  const [row] = inventoryRows([rec], core.reports.keyUsage(), core.reports.keyCreatedAt(), { keyIds: 'masked', now: new Date(core.clock.now()) });
  if (!row.keyCreatedAt && !row.reportFrom) return null;
  const { keyCreatedAt, keyAgeDays, keyActive, lastUsedDate, lastUsedRegion, lastUsedService, reportFrom } = row;
  return { keyCreatedAt, keyAgeDays, keyActive, lastUsedDate, lastUsedRegion, lastUsedService, reportFrom };
}

export async function fetchReport(core: KeywardCore, adminId: string): Promise<ReportSummary> {
  const admin = core.credentials.find(adminId);
  return fetchCredentialReport(admin, core.credentials.repo.secretsOf(admin.id), core.credentials.repo.list(), core.reports);
}

export async function backupToBase64(core: KeywardCore, passphrase: string, kdf?: { N: number; r: number; p: number }) {
  const { bytes, tables, audited } = await createBackup(core.openVault, core.audit, passphrase, { kdf, clock: core.clock });
  return { fileName: `keyward-${isoNow(core.clock).slice(0, 10)}.kwbackup`, base64: bytes.toString('base64'), bytes: bytes.length, credentials: tables.credentials ?? 0, tables, audited };
}

/** The CLI's backup: written to FILE (never over one), and recorded in the audit log only once it is. */
export async function backupToFile(core: KeywardCore, passphrase: string, file: string) {
  const { bytes, tables, audited } = await createBackup(core.openVault, core.audit, passphrase, { clock: core.clock, deliver: (b) => writeBackupFile(file, b) });
  return { file, bytes: bytes.length, tables, audited };
}

/** Merge into the open vault; or, with no vault yet, restore it and unlock it. */
export async function restoreFromBase64(
  core: KeywardCore,
  req: { base64: string; passphrase: string; merge: boolean; vaultPassphrase?: string; fileName?: string; preview?: boolean; choices?: MergeOptions['choices'] },
): Promise<{ mode: 'restored' | 'merged'; vaultId?: string; keyProvider?: 'keychain' | 'passphrase'; tables?: Record<string, number> } & MergeResult> {
  const bytes = Buffer.from(req.base64, 'base64');
  if (req.merge) {
    const contents = await readBackup(bytes, req.passphrase);
    const merged = mergeBackup(core.openVault, core.audit, contents, req.fileName, { choices: req.choices, preview: req.preview, clock: core.clock });
    // The window shows a credential that took the backup's place as it is now.
    if (!req.preview) for (const c of merged.conflicts) if (c.choice === 'backup') core.events.emit('credential.changed', core.credentials.get(c.existingId));
    return { mode: 'merged', ...merged };
  }
  const status = core.status();
  if (status.state !== 'NOT_INITIALIZED') {
    throw new KeywardError(
      'VAULT_EXISTS',
      `A vault already exists at ${status.path} and was not touched. Merge the backup into it instead (keyward restore FILE --merge), or restore into an empty folder.`,
    );
  }
  const contents = await readBackup(bytes, req.passphrase);
  const provider = core.keyProvider({ kind: req.vaultPassphrase ? 'passphrase' : 'keychain', passphrase: req.vaultPassphrase ?? null });
  const restored = await restoreVault(dirname(status.path), contents, provider);
  if (req.vaultPassphrase) await core.unlock(req.vaultPassphrase);
  else await core.open();
  core.audit.append('vault.restored', { details: { ...(req.fileName ? { file: req.fileName } : {}), fromVault: restored.vaultId, keyProvider: provider.kind } });
  return { mode: 'restored', added: [], conflicts: [], notMerged: [], vaultId: restored.vaultId, keyProvider: provider.kind, tables: restored.tables };
}

export async function doctorOf(core: KeywardCore): Promise<DoctorReport> {
  const status = core.status();
  // The open vault's key already worked this session: no need to ask for it again.
  return runDoctor(dirname(status.path), status.state === 'UNLOCKED' ? 'unlocked' : core.keyProviderToOpen());
}
