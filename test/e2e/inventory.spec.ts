import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { KeywardCore } from '../../electron/core/app/core';
import { backupToBase64 } from '../../electron/core/inventory/service';
import { credentialReportCsv } from '../support/credential-report';
import { startHarness } from './harness';
import { test, expect } from './fixtures';

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();
const SECRETS = ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE1', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE2', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKE3'];

/** Three AWS keys: one 200 days old, one 80 days old (due soon), one never verified. */
function seed(core: KeywardCore) {
  const repo = core.credentials.repo;
  const specs = [
    ['old-key', 'u-old', 1],
    ['soon-key', 'u-soon', 3],
    ['new-key', 'u-new', null],
  ] as const;
  specs.forEach(([name, user, verified], i) => {
    const id = `seed-${i}`;
    repo.insert({ id, name, provider: 'AWS', type: 'ACCESS_KEY', fields: { accessKeyId: `AKIAEXAMPLE0000000${i}X`, region: 'us-east-1' } }, { secretAccessKey: SECRETS[i] }, daysAgo(300));
    if (verified !== null)
      repo.recordCheck(id, {
        status: 'VALID',
        identity: { account: '123456789012', arn: `arn:aws:iam::123456789012:user/${user}`, userId: 'AIDA' },
        error: null,
        diagnosis: null,
        at: daysAgo(verified),
      });
  });
  core.reports.import(report(), { source: 'file' });
}

function report(extraUser?: string) {
  return credentialReportCsv([
    { user: 'u-old', keys: [{ active: true, lastRotated: daysAgo(200), lastUsed: null, region: null, service: null }] },
    { user: 'u-soon', keys: [{ active: true, lastRotated: daysAgo(80), lastUsed: daysAgo(1), region: 'us-east-1', service: 's3' }] },
    ...(extraUser ? [{ user: extraUser, keys: [{ active: true, lastRotated: daysAgo(3), lastUsed: null, region: null, service: null }] }] : []),
  ]);
}

async function seeded(app: Page, core: KeywardCore) {
  seed(core);
  // The window loaded before the seed: load it again, as an admin opening the app would.
  await app.reload();
}

async function openInventory(app: Page) {
  await app.getByRole('link', { name: 'Inventory' }).click();
  await expect(app.getByRole('heading', { name: 'Inventory', level: 1 })).toBeVisible();
}

function tile(app: Page, label: string) {
  return app.getByRole('button').filter({ hasText: label });
}

function count(app: Page, label: string) {
  return tile(app, label).locator('.figure-count');
}

test('opens on Credentials while the vault is empty, and on the Inventory once it holds credentials', async ({ app, e2e }) => {
  await expect(app.getByRole('heading', { name: 'Credentials', level: 1 })).toBeVisible();
  expect(new URL(app.url()).hash).toBe('#/credentials');
  seed(e2e.harness.core);
  // Start the app again, with no page asked for.
  await app.evaluate(() => window.history.replaceState(null, '', window.location.pathname));
  await app.reload();
  await expect(app.getByRole('heading', { name: 'Inventory', level: 1 })).toBeVisible();
  expect(new URL(app.url()).hash).toBe('#/inventory');
  await expect(app.getByRole('link', { name: 'Inventory' })).toHaveAttribute('aria-current', 'page');
  // An explicit page still wins.
  await app.evaluate(() => window.history.replaceState(null, '', `${window.location.pathname}#/audit`));
  await app.reload();
  await expect(app.getByRole('heading', { name: 'Audit Logs', level: 1 })).toBeVisible();
});

test('shows the figures with their freshness and a key-age chart, and each figure links to the filtered table', async ({ app, e2e }) => {
  await seeded(app, e2e.harness.core);
  await openInventory(app);
  await expect(app.getByRole('heading', { name: '3 credentials' })).toBeVisible();
  await expect(count(app, 'Keys past the maximum age')).toHaveText('1');
  await expect(count(app, 'Keys approaching the maximum age')).toHaveText('1');
  await expect(count(app, 'Never verified')).toHaveText('1');
  await expect(app.getByText(/Last checked (yesterday|1 day)/)).toBeVisible();
  await expect(app.getByText(/Credential report from \d{4}-\d{2}-\d{2}/).first()).toBeVisible();
  // The chart is an SVG with one bar per non-empty bin and the maximum-age line.
  const chart = app.getByRole('figure', { name: /Key ages in days; maximum age 90 days/ });
  await expect(chart.locator('svg .recharts-bar-rectangle path')).toHaveCount(2);
  await expect(chart.locator('.recharts-reference-line')).toHaveCount(1);
  await expect(app.locator('.next-due li').first()).toContainText(/old-key.*overdue by 110 d/);
  await app.screenshot({ path: test.info().outputPath('inventory.png'), fullPage: true });

  await tile(app, 'Keys past the maximum age').click();
  await expect(app).toHaveURL(/#\/credentials\?figure=pastMaxAge$/);
  await expect(app.getByRole('status').filter({ hasText: 'Keys past the maximum age' })).toContainText('Showing 1 credential');
  await expect(app.getByRole('row').filter({ hasText: 'old-key' })).toBeVisible();
  await expect(app.getByRole('row').filter({ hasText: 'new-key' })).toHaveCount(0);
  // The matched key's age and last use show in its details.
  await app.getByRole('row').filter({ hasText: 'old-key' }).getByTestId('status-badge').click();
  const details = app.getByRole('region', { name: 'Credential details' }).or(app.getByRole('dialog', { name: 'Credential details' }));
  await expect(details).toContainText('Key age200 days');
  await expect(details).toContainText('never (per the report)');
  await app.getByRole('button', { name: 'Show all' }).click();
  await expect(app.getByRole('row').filter({ hasText: 'new-key' })).toBeVisible();

  await openInventory(app);
  await app.getByRole('button', { name: 'Unverified: 1' }).click();
  await expect(app).toHaveURL(/#\/credentials\?status=UNVERIFIED$/);
  await expect(app.getByRole('row').filter({ hasText: 'new-key' })).toBeVisible();
  await expect(app.getByRole('row').filter({ hasText: 'old-key' })).toHaveCount(0);
  expect(await app.content()).not.toContain(SECRETS[0]);
});

test('imports a credential report file and exports the inventory without secrets', async ({ app, e2e }) => {
  await seeded(app, e2e.harness.core);
  await openInventory(app);
  await app.getByLabel('Credential report file').setInputFiles({ name: 'report.csv', mimeType: 'text/csv', buffer: Buffer.from(report('u-stranger')) });
  await expect(app.getByText(/Imported the credential report: 3 user\(s\), 2 key\(s\) matched, 1 not matched to a credential \(not in Keyward, or never verified\)/)).toBeVisible();
  await expect(app.getByText(/1 key in the report not matched to a credential/)).toBeVisible();

  const [download] = await Promise.all([app.waitForEvent('download'), app.getByRole('button', { name: 'Export CSV' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^keyward-inventory-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = readFileSync(await download.path(), 'utf8');
  expect(csv.split('\r\n')[0]).toMatch(/^id,name,provider,type,status,accessKeyId,/);
  expect(csv).toContain('old-key');
  expect(csv).toContain('AKIA************');
  for (const s of SECRETS) expect(csv).not.toContain(s);

  await app.getByLabel('Key ids').selectOption('full');
  const [json] = await Promise.all([app.waitForEvent('download'), app.getByRole('button', { name: 'Export JSON' }).click()]);
  const rows = JSON.parse(readFileSync(await json.path(), 'utf8')) as Array<{ accessKeyId: string }>;
  expect(rows.map((r) => r.accessKeyId)).toContain('AKIAEXAMPLE00000000X');
});

test('Settings: shows the vault, backs up to a file and restores it (merge), reporting conflicts; checks vault health', async ({ app, e2e }) => {
  await seeded(app, e2e.harness.core);
  await app.getByRole('link', { name: 'Settings' }).click();
  await expect(app.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  await expect(app.getByTestId('vault-path')).toHaveText(e2e.harness.core.status().path);
  await expect(app.getByText(/Passphrase: the vault key is derived from your passphrase/)).toBeVisible();
  await app.screenshot({ path: test.info().outputPath('settings.png'), fullPage: true });
  await app.getByRole('button', { name: 'Back up' }).click();
  const backup = app.getByRole('dialog', { name: 'Back up the vault' });
  await backup.getByLabel('Backup passphrase').fill('short');
  await backup.getByLabel('Repeat the passphrase').fill('short');
  await backup.getByRole('button', { name: 'Create backup' }).click();
  await expect(backup.getByRole('alert')).toContainText('at least 12 characters');
  await backup.getByLabel('Backup passphrase').fill('an e2e backup passphrase');
  await backup.getByLabel('Repeat the passphrase').fill('an e2e backup passphrase');
  const [download] = await Promise.all([app.waitForEvent('download'), backup.getByRole('button', { name: 'Create backup' }).click()]);
  await expect(backup).toBeHidden();
  expect(download.suggestedFilename()).toMatch(/\.kwbackup$/);
  const bytes = readFileSync(await download.path());
  expect(bytes.subarray(0, 8).toString()).toBe('KWBACKUP');
  for (const s of SECRETS) expect(bytes.includes(Buffer.from(s))).toBe(false);

  await app.getByRole('button', { name: 'Restore' }).click();
  const restore = app.getByRole('dialog', { name: 'Restore from a backup' });
  await restore.getByLabel('Backup file').setInputFiles({ name: 'vault.kwbackup', mimeType: 'application/octet-stream', buffer: bytes });
  await restore.getByLabel('Backup passphrase').fill('not the passphrase');
  await restore.getByRole('button', { name: 'Merge into this vault' }).click();
  await expect(restore.getByRole('alert')).toContainText('backup passphrase is wrong');
  await restore.getByLabel('Backup passphrase').fill('an e2e backup passphrase');
  await restore.getByRole('button', { name: 'Merge into this vault' }).click();
  // Every credential is already here: each conflict offers a way out, keep mine by default, and nothing is written yet.
  const conflicts = restore.locator('[data-conflict]');
  await expect(conflicts).toHaveCount(3);
  const group = (name: string) => restore.getByRole('group', { name });
  await expect(group('old-key').getByRole('radio', { name: /Keep mine/ })).toBeChecked();
  await group('soon-key')
    .getByRole('radio', { name: /Take the backup’s/ })
    .check();
  await group('new-key')
    .getByRole('radio', { name: /Restore as a copy/ })
    .check();
  expect(e2e.harness.core.credentials.list()).toHaveLength(3);
  await app.screenshot({ path: test.info().outputPath('restore-conflicts.png') });
  await restore.getByRole('button', { name: 'Merge', exact: true }).click();
  await expect(restore.getByRole('status')).toContainText('Merged 0 credentials');
  const day = new Date().toISOString().slice(0, 10);
  await expect(restore.locator('.conflict-list li[data-choice="keep"]')).toContainText('old-key');
  await expect(restore.locator('.conflict-list li[data-choice="backup"]')).toContainText('soon-key');
  await expect(restore.locator('.conflict-list li[data-choice="copy"]')).toContainText(`new-key (restored ${day})`);
  await restore.getByRole('button', { name: 'Done' }).click();
  await expect(restore).toBeHidden();
  expect(
    e2e.harness.core.credentials
      .list()
      .map((c) => c.name)
      .sort(),
  ).toEqual(['new-key', `new-key (restored ${day})`, 'old-key', 'soon-key']);
  expect(e2e.harness.core.audit.list({ action: 'credential.replaced' })).toHaveLength(1);

  await app.getByRole('button', { name: 'Check the vault' }).click();
  await expect(app.getByText('The vault is healthy.')).toBeVisible();
  await expect(app.locator('.health-list li')).toHaveCount(7);
});

test('fetches a credential report from AWS with an admin credential, and applies a stricter maximum age', async ({ app, e2e }) => {
  const core = e2e.harness.core;
  const key = e2e.newKey();
  const admin = core.credentials.add({
    name: 'aws-admin',
    provider: 'AWS',
    type: 'ACCESS_KEY',
    fields: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, region: 'us-east-1', endpointUrl: e2e.aws.url },
    verify: false,
  });
  expect((await core.credentials.verify(admin.id)).status).toBe('VALID');
  await seeded(app, core);
  await openInventory(app);
  await app.getByRole('button', { name: 'Fetch report' }).click();
  const dialog = app.getByRole('dialog', { name: 'Fetch a credential report' });
  await dialog.getByLabel('Admin credential').selectOption({ label: 'aws-admin' });
  await dialog.getByRole('button', { name: 'Fetch report' }).click();
  await expect(app.getByText(/Fetched the credential report: \d+ user\(s\), 1 key\(s\) matched/)).toBeVisible({ timeout: 15_000 });
  await expect(app.getByText(/fetched from AWS/).first()).toBeVisible();
  expect(await app.content()).not.toContain(key.secretAccessKey);

  // old-key (200 days, from the imported report) is past 90 days; with a 1-day maximum,
  // soon-key (80 days) is too.
  await expect(count(app, 'Keys past the maximum age')).toHaveText('1');
  await app.getByLabel('Maximum key age (days)').fill('1');
  await app.getByLabel('Warn this many days before').fill('0');
  await app.getByRole('button', { name: 'Save' }).click();
  await expect(app.getByText('1 days or older (CIS AWS 1.14)')).toBeVisible();
  await expect(count(app, 'Keys past the maximum age')).toHaveText('2');
});

test('restores a vault from a backup at first run on a new machine', async ({ page, e2e }) => {
  seed(e2e.harness.core);
  const backup = await backupToBase64(e2e.harness.core, 'a first-run backup passphrase');
  // A second machine: no vault yet.
  const fresh = await startHarness({ vaultDir: join(mkdtempSync(join(tmpdir(), 'keyward-e2e-fresh-')), 'vault'), check: { timeoutMs: 3000 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  try {
    await page.addInitScript({ content: fresh.bridgeScript });
    await page.goto(fresh.url);
    await page.getByRole('button', { name: 'Restore from a backup…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Restore a vault from a backup' });
    await dialog.getByLabel('Backup file').setInputFiles({ name: 'vault.kwbackup', mimeType: 'application/octet-stream', buffer: Buffer.from(backup.base64, 'base64') });
    await dialog.getByLabel('Backup passphrase').fill('wrong passphrase');
    await dialog.getByLabel('New vault passphrase (optional)').fill('the new machine passphrase');
    await dialog.getByRole('button', { name: 'Restore vault' }).click();
    await expect(dialog.getByRole('alert')).toContainText('backup passphrase is wrong');
    expect(fresh.core.status().state).toBe('NOT_INITIALIZED');
    await dialog.getByLabel('Backup passphrase').fill('a first-run backup passphrase');
    await dialog.getByRole('button', { name: 'Restore vault' }).click();
    await expect(dialog).toBeHidden();
    await page.getByRole('link', { name: 'Credentials' }).click();
    await expect(page.getByRole('row').filter({ hasText: 'old-key' })).toBeVisible();
    expect(fresh.core.status()).toMatchObject({ state: 'UNLOCKED', keyProvider: 'passphrase' });
    expect(fresh.core.audit.verify()).toMatchObject({ ok: true });
    expect(fresh.core.credentials.repo.secretsOf('seed-0').secretAccessKey).toBe(SECRETS[0]);
    expect(errors).toEqual([]);
  } finally {
    await fresh.close();
  }
});
