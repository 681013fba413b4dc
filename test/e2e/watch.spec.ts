import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { startAwsTestServer, type AwsTestServer } from '../support/aws-server';
import { startHarness, type Harness } from './harness';

// Keeping watch in the window: the Attention list and the sidebar badge, Lock (button and
// Ctrl+L) that leaves no credential name in the page, auto-lock after idle, and the
// Settings card for the schedule, auto-lock and quiet hours.

const PASSPHRASE = 'watch e2e passphrase 1';
let harness: Harness | null = null;
let aws: AwsTestServer | null = null;
const notices: Array<{ title: string; body: string }> = [];

test.afterEach(async () => {
  await harness?.close();
  await aws?.close();
  harness = null;
  aws = null;
  notices.length = 0;
});

async function start(opts: { idleSeconds?: () => number } = {}): Promise<Harness> {
  aws = await startAwsTestServer({ latencyMs: 0, propagationDelayMs: 0 });
  harness = await startHarness({
    vaultDir: join(mkdtempSync(join(tmpdir(), 'keyward-e2e-watch-')), 'vault'),
    passphrase: PASSPHRASE,
    init: { keyProvider: 'passphrase', passphrase: PASSPHRASE },
    check: { timeoutMs: 3000 },
    watch: { notifier: { notify: (n) => notices.push(n) }, ...(opts.idleSeconds ? { idle: { idleSeconds: opts.idleSeconds } } : {}) },
  });
  return harness;
}

/** Two AWS keys in the vault, both checked VALID; then one is deleted in IAM and a check run notices. */
async function seedTurnedInvalid(h: Harness): Promise<{ name: string }> {
  aws!.state.createUser('watch-e2e');
  const gone = aws!.state.createAccessKey('watch-e2e');
  const kept = aws!.state.createAccessKey('watch-e2e');
  for (const [name, k] of [
    ['billing-prod', gone],
    ['steady-key', kept],
  ] as const) {
    h.core.credentials.add({
      name,
      provider: 'AWS',
      type: 'ACCESS_KEY',
      fields: { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey, region: 'us-east-1', endpointUrl: aws!.url },
      verify: false,
    });
  }
  await h.core.watch.run('schedule', { verify: true });
  aws!.state.deleteAccessKey(gone.accessKeyId);
  await h.core.watch.run('schedule', { verify: true });
  return { name: 'billing-prod' };
}

async function open(page: Page, h: Harness): Promise<string[]> {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript({ content: h.bridgeScript });
  await page.goto(h.url);
  return errors;
}

/** Every string the page's JS heap still holds, after a full garbage collection. */
async function heapHolds(page: Page, needle: string): Promise<boolean> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  let snapshot = '';
  cdp.on('HeapProfiler.addHeapSnapshotChunk', (e) => (snapshot += e.chunk));
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  await cdp.detach();
  return snapshot.includes(needle);
}

test('the Attention list and the sidebar badge show a key that turned invalid, and take you to its diagnosis', async ({ page }) => {
  const h = await start();
  const { name } = await seedTurnedInvalid(h);
  // The scheduled run told it once, as one digest naming no secret.
  expect(notices.map((n) => n.body)).toEqual([`${name} turned Invalid`]);
  const errors = await open(page, h);
  await expect(page.getByRole('heading', { name: 'Inventory', level: 1 })).toBeVisible();
  const list = page.getByTestId('attention-list');
  await expect(list).toContainText(`${name} turned Invalid`);
  await expect(page.getByTestId('attention-badge')).toHaveText('1');
  await page.screenshot({ path: test.info().outputPath('attention-list.png'), fullPage: true });
  await list.getByRole('button', { name: `Open diagnosis: ${name} turned Invalid` }).click();
  await expect(page).toHaveURL(/#\/credentials/);
  // The details panel of that credential, with its diagnosis.
  await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
  await expect(page.getByText('InvalidClientTokenId').first()).toBeVisible();
  // The panel leaves this credential out of the scheduled checks, and back in.
  const scheduled = page.getByLabel(/Check on the schedule/);
  await scheduled.click();
  await expect(scheduled).not.toBeChecked();
  await expect.poll(() => h.core.watch.settings().skip).toHaveLength(1);
  await scheduled.click();
  await expect(scheduled).toBeChecked();
  await expect.poll(() => h.core.watch.settings().skip).toEqual([]);
  expect(errors).toEqual([]);
});

test('Lock drops the vault and leaves no credential name in the page; Ctrl+L locks too', async ({ page }) => {
  const h = await start();
  await seedTurnedInvalid(h);
  const errors = await open(page, h);
  await expect(page.getByTestId('attention-list')).toContainText('billing-prod');
  // The heap search finds the name while the vault is open (so its "no" below means something).
  expect(await heapHolds(page, 'billing-prod')).toBe(true);
  await page.getByRole('button', { name: /^Lock/ }).click();
  await expect(page.getByRole('heading', { name: 'The vault is locked' })).toBeVisible();
  expect(h.core.status().state).toBe('LOCKED');
  await expect(page.locator('body')).not.toContainText('billing-prod');
  expect(await heapHolds(page, 'billing-prod')).toBe(false);
  await page.screenshot({ path: test.info().outputPath('locked.png'), fullPage: true });

  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByTestId('attention-list')).toContainText('billing-prod');
  await page.keyboard.press('Control+l');
  await expect(page.getByRole('heading', { name: 'The vault is locked' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('auto-lock locks the vault after the idle time set in Settings', async ({ page }) => {
  let idle = 0;
  const h = await start({ idleSeconds: () => idle });
  const errors = await open(page, h);
  await page.goto(`${h.url}#/settings`);
  const card = page.getByTestId('watch-settings');
  await expect(card).toBeVisible();
  await card.getByLabel('Lock after').selectOption('1');
  await expect.poll(() => h.core.watch.settings().autoLockMinutes).toBe(1);
  // The machine has had no input for two minutes: the next look locks.
  idle = 120;
  await expect(page.getByRole('heading', { name: 'The vault is locked' })).toBeVisible({ timeout: 15_000 });
  expect(errors).toEqual([]);
});

test('Settings show the last check and change the schedule, auto-lock and quiet hours', async ({ page }) => {
  const h = await start();
  await seedTurnedInvalid(h);
  const errors = await open(page, h);
  await page.goto(`${h.url}#/settings`);
  const card = page.getByTestId('watch-settings');
  await expect(card.getByTestId('watch-last-run')).toContainText('1 valid, 1 invalid');
  await card.getByLabel('Check every').selectOption('12');
  await expect.poll(() => h.core.watch.settings().intervalHours).toBe(12);
  await card.getByLabel('Lock after').selectOption('never');
  await expect(card.getByRole('status')).toContainText('anyone at this computer');
  // The boxes show what main saved, so a click is followed by the saved state.
  await card.getByLabel('Quiet hours').click();
  await expect(card.getByLabel('Quiet hours')).toBeChecked();
  await card.getByLabel('from').selectOption('21');
  await card.getByLabel('Key unused').click();
  await expect(card.getByLabel('Key unused')).not.toBeChecked();
  await expect.poll(() => h.core.watch.settings()).toMatchObject({ autoLockMinutes: null, quietHours: { start: 21, end: 7 }, mutedKinds: ['key-unused'] });
  await page.screenshot({ path: test.info().outputPath('watch-settings.png'), fullPage: true });
  await card.getByRole('button', { name: 'Check now' }).click();
  await expect.poll(() => h.core.watch.lastRun()?.trigger).toBe('manual');
  expect(errors).toEqual([]);
});

test('a long Attention list shows the first 50, most urgent first, and the rest on Show all', async ({ page }) => {
  const h = await start();
  // 60 Azure client secrets that expired: 60 critical items.
  for (let i = 0; i < 60; i++) {
    h.core.credentials.add({
      name: `entra-app-${String(i).padStart(2, '0')}`,
      provider: 'AZURE',
      type: 'CLIENT_SECRET',
      fields: {
        tenantId: '00000000-0000-0000-0000-000000000001',
        clientId: `00000000-0000-0000-0000-0000000000${String(i).padStart(2, '0')}`,
        clientSecret: `secret-value-${i}-abcdefgh`,
        expiresAt: '2026-01-01',
      },
      verify: false,
    });
  }
  const errors = await open(page, h);
  const list = page.getByTestId('attention-list');
  await expect(list.getByRole('listitem')).toHaveCount(50);
  await expect(list.getByLabel('60 items')).toBeVisible();
  await list.getByRole('button', { name: 'Show all 60' }).click();
  await expect(list.getByRole('listitem')).toHaveCount(60);
  await list.getByRole('button', { name: 'Show the first 50' }).click();
  await expect(list.getByRole('listitem')).toHaveCount(50);
  expect(errors).toEqual([]);
});
