import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import type { ReportSummaryView } from '../../../shared/channels/inventory';
import { KeywardError } from '../../core/errors';
import type { CliContext } from '../context';
import { readInput, readTextFile } from '../files';
import { table } from '../format';
import { EXIT, usageError } from '../io';
import { MIN_PASSPHRASE } from '../../../shared/passphrase';

function notReadable(what: string, file: string, code: string): KeywardError {
  return new KeywardError('NOT_FOUND', `Cannot read the ${what} ${file} (${code}). Check the path.`);
}

function reportHuman(s: ReportSummaryView): string {
  const lines = [`Imported the credential report${s.account ? ` of account ${s.account}` : ''}: ${s.users} user(s), ${s.keys} access key(s), ${s.matched.length} matched to the vault.`];
  if (s.matched.length)
    lines.push(
      table([
        ['CREDENTIAL', 'USER', 'KEY', 'ACTIVE', 'LAST ROTATED', 'LAST USED'],
        ...s.matched.map((k) => [k.credentialName ?? '', k.user, String(k.keyIndex), String(k.active), k.lastRotated ?? '', k.lastUsedDate ?? 'never']),
      ]).trimEnd(),
    );
  if (s.notInKeyward.length) {
    lines.push(`Known to AWS, not in Keyward: ${s.notInKeyward.length} key(s).`);
    lines.push(
      table([
        ['USER', 'KEY', 'ACTIVE', 'LAST ROTATED', 'LAST USED'],
        ...s.notInKeyward.map((k) => [k.user, String(k.keyIndex), String(k.active), k.lastRotated ?? '', k.lastUsedDate ?? 'never']),
      ]).trimEnd(),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** keyward import credential-report FILE | --fetch ADMIN_CRED */
export async function importReportCommand(ctx: CliContext, file: string | undefined, f: { fetch?: string }): Promise<number> {
  if (f.fetch !== undefined) {
    if (file) throw usageError('Give a report FILE or --fetch ADMIN_CRED, not both.');
    await ctx.openCore();
    const summary = await ctx.call('inventory.fetchReport', { adminId: f.fetch });
    ctx.print(summary, reportHuman(summary));
    return EXIT.OK;
  }
  if (!file) throw usageError('Usage: keyward import credential-report FILE | --fetch ADMIN_CRED   (the CSV from `aws iam get-credential-report` or the IAM console)');
  const text = readTextFile(file, 'credentialReport', (code) => notReadable('credential report', file, code));
  await ctx.openCore();
  const summary = await ctx.call('inventory.importReport', { text, fileName: basename(file) });
  ctx.print(summary, reportHuman(summary));
  return EXIT.OK;
}

/** keyward export inventory [--format csv|json] [--key-ids masked|full] */
export async function exportCommand(ctx: CliContext, what: string | undefined, f: { format?: string; 'key-ids'?: string }): Promise<number> {
  if (what !== 'inventory') throw usageError('Usage: keyward export inventory [--format csv|json] [--key-ids masked|full]');
  const format = f.format ?? (ctx.flags.json ? 'json' : 'csv');
  if (format !== 'csv' && format !== 'json') throw usageError('--format is csv or json.');
  const keyIds = f['key-ids'] ?? 'masked';
  if (keyIds !== 'masked' && keyIds !== 'full') throw usageError('--key-ids is masked or full.');
  if (ctx.flags.json && format === 'csv') throw usageError('--json prints JSON; drop it or use --format json.');
  await ctx.openCore();
  const file = await ctx.call('inventory.export', { format, keyIds });
  // Salvage: a vault open read-only (damaged, read-only folder) is exported all the same, unrecorded, and says so.
  if (file.audited === false) ctx.io.stderr('keyward: the vault is open read-only; this export is not recorded in its audit log.\n');
  ctx.printRaw(file.content);
  return EXIT.OK;
}

/** keyward backup FILE — the backup passphrase on stdin (after the vault's, with --passphrase-stdin). */
export async function backupCommand(ctx: CliContext, file: string | undefined): Promise<number> {
  if (!file) throw usageError('Usage: keyward backup FILE   (the backup passphrase on stdin)');
  if (existsSync(file)) throw new KeywardError('CONFLICT', `${file} already exists. It was not touched; choose another file name.`);
  await ctx.openCore();
  const passphrase = await ctx.io.readSecret('Backup passphrase');
  if (!passphrase) throw usageError(`Give the backup passphrase on stdin (at least ${MIN_PASSPHRASE} characters); you will need it to restore.`);
  // Recorded in the audit log only once the file is written; a read-only vault is backed up unrecorded.
  const { bytes, tables, audited } = await ctx.call('inventory.backupToFile', { passphrase, file });
  const note = audited ? '' : ' The vault is open read-only, so this backup is not recorded in its audit log.';
  ctx.print(
    { file, bytes, tables, audited },
    `Backed up the vault to ${file} (${bytes} bytes; ${tables.credentials ?? 0} credential(s)). Keep the passphrase: without it the backup cannot be opened.${note}\n`,
  );
  return EXIT.OK;
}

/** keyward restore FILE [--merge] — the backup passphrase on stdin (after the vault's, with --passphrase-stdin). */
export async function restoreCommand(ctx: CliContext, file: string | undefined, f: { merge?: boolean }): Promise<number> {
  if (!file) throw usageError('Usage: keyward restore FILE [--merge]   (the backup passphrase on stdin)');
  const base64 = readInput(file, 'backup', (code) => notReadable('backup', file, code)).toString('base64');
  const fileName = basename(file);
  if (f.merge) {
    await ctx.openCore();
    const passphrase = await ctx.io.readSecret('Backup passphrase');
    const result = await ctx.call('inventory.restore', { base64, passphrase, merge: true, fileName });
    const human =
      `Merged ${result.added.length} credential(s) from ${file}.\n` +
      (result.conflicts.length
        ? `Not merged (conflicts, nothing overwritten):\n${result.conflicts.map((c) => `  ${c.name}: ${c.reason}`).join('\n')}\nRename one here and merge again, or restore from Settings in the app to take the backup's or keep both.\n`
        : '') +
      (result.notMerged.length ? `Kept out of a merge: ${result.notMerged.map((n) => `${n.table} (${n.rows})`).join(', ')}; restore into an empty folder to get everything.\n` : '');
    ctx.print(result, human);
    return result.conflicts.length ? EXIT.FAILED : EXIT.OK;
  }
  const vaultPassphrase = (await ctx.getPassphrase()) ?? undefined;
  const passphrase = await ctx.io.readSecret('Backup passphrase');
  const restored = await ctx.call('inventory.restore', { base64, passphrase, merge: false, vaultPassphrase, fileName });
  const status = await ctx.call('vault.status', {});
  const verdict = await ctx.call('audit.verify', {});
  const tables = restored.tables ?? {};
  ctx.print(
    { vaultId: restored.vaultId, path: status.path, keyProvider: restored.keyProvider, tables, audit: verdict },
    `Restored vault ${restored.vaultId} into ${status.path} (${tables.credentials ?? 0} credential(s)); its key is now held by the ${restored.keyProvider === 'keychain' ? 'OS keychain' : 'passphrase'}. Audit chain: ${verdict.ok ? 'verifies' : 'BROKEN'}.\n`,
  );
  return verdict.ok ? EXIT.OK : EXIT.FAILED;
}

/** keyward doctor — read-only checks; exit 1 when something needs doing. */
export async function doctorCommand(ctx: CliContext): Promise<number> {
  const report = await ctx.call('inventory.doctor', {});
  const human =
    `${report.path}\n` +
    report.checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.message}${c.remedy ? `\n       → ${c.remedy}` : ''}`).join('\n') +
    `\n${report.ok ? 'The vault is healthy.' : 'Problems found: see → for what to do.'}\n`;
  ctx.print(report, human);
  return report.ok ? EXIT.OK : EXIT.FAILED;
}
