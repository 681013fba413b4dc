import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { KeywardCore } from '../../electron/core/app/core';
import { osKeyProviders } from '../../electron/core/keys/choose';
import { startHarness, type Harness } from './harness';

// The vault gate: first run (choose how the key is kept) and a locked passphrase vault.

const PASSPHRASE = 'gate passphrase 1234';
let harness: Harness | null = null;

test.afterEach(async () => {
  await harness?.close();
  harness = null;
});

async function open(page: Page, h: Harness) {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript({ content: h.bridgeScript });
  await page.goto(h.url);
  return errors;
}

test('first run creates a passphrase vault and lands on the Credentials page', async ({ page }) => {
  const dir = join(mkdtempSync(join(tmpdir(), 'keyward-e2e-gate-')), 'vault');
  harness = await startHarness({ vaultDir: dir });
  const errors = await open(page, harness);
  await expect(page.getByRole('heading', { name: 'Set up your vault' })).toBeVisible();
  await page.getByText('A passphrase', { exact: true }).click();
  await page.getByLabel('Passphrase', { exact: true }).fill('too short');
  await page.getByLabel('Confirm passphrase').fill('too short');
  await expect(page.getByRole('button', { name: 'Create vault' })).toBeDisabled();
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Confirm passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create vault' }).click();
  await expect(page.getByRole('button', { name: 'Add Credential' })).toBeVisible();
  expect(harness.core.status()).toMatchObject({ state: 'UNLOCKED', keyProvider: 'passphrase' });
  expect(errors).toEqual([]);
});

test('a locked passphrase vault says why, refuses a wrong passphrase and opens with the right one', async ({ page }) => {
  const dir = join(mkdtempSync(join(tmpdir(), 'keyward-e2e-gate-')), 'vault');
  const seed = new KeywardCore({ vaultDir: dir });
  await seed.init('passphrase', PASSPHRASE);
  seed.credentials.add({ name: 'kept', provider: 'APISIX', type: 'ADMIN_API_KEY', fields: { endpoint: 'http://127.0.0.1:1', adminApiKey: 'k' }, verify: false });
  await seed.close();

  harness = await startHarness({ vaultDir: dir });
  const errors = await open(page, harness);
  await expect(page.getByRole('heading', { name: 'The vault is locked' })).toBeVisible();
  await expect(page.getByText(/protected by a passphrase/)).toBeVisible();
  await page.getByLabel('Passphrase', { exact: true }).fill('not the passphrase');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toContainText('passphrase is wrong');
  // Desktop words: no "Vault is locked:" again, no command-line advice; the wrong passphrase is selected for retyping.
  await expect(page.getByRole('alert')).not.toContainText('Vault is locked');
  await expect(page.locator('.gate')).not.toContainText('KEYWARD_PASSPHRASE');
  await expect.poll(() => page.getByLabel('Passphrase', { exact: true }).evaluate((el: HTMLInputElement) => [el.selectionStart, el.selectionEnd])).toEqual([0, 'not the passphrase'.length]);
  // Behind the gate the sidebar is inert: its links take no clicks and no focus.
  await expect(page.locator('aside.sidebar')).toHaveAttribute('inert', '');
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  // A vault that holds credentials opens on the Inventory.
  await expect(page.getByRole('heading', { name: 'Inventory', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: '1 credential', level: 2 })).toBeVisible();
  await page.getByRole('link', { name: 'Credentials' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'kept' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('first run probes the keychain: when there is none it is disabled with a reason in desktop words and the passphrase is chosen', async ({ page }) => {
  const dir = join(mkdtempSync(join(tmpdir(), 'keyward-e2e-gate-')), 'vault');
  // The key-provider port, as only a test passes it: a keychain that is not there.
  const missing = {
    kind: 'keychain' as const,
    probe: async () => 'No keychain is running on this computer (GNOME Keyring or KWallet must be running and unlocked).',
    create: async () => {
      throw new Error('org.freedesktop.DBus.Error.ServiceUnknown');
    },
    load: async () => {
      throw new Error('unreachable');
    },
    discard: async () => undefined,
  };
  const real = osKeyProviders();
  harness = await startHarness({ vaultDir: dir, keys: { choose: (req) => (req.kind === 'keychain' ? missing : real.choose(req)) } });
  const errors = await open(page, harness);
  await expect(page.getByRole('heading', { name: 'Set up your vault' })).toBeVisible();
  const keychain = page.getByRole('radio', { name: /System keychain/ });
  await expect(keychain).toBeDisabled();
  await expect(page.getByRole('radio', { name: /A passphrase/ })).toBeChecked();
  await expect(page.getByText('Not available: No keychain is running on this computer')).toBeVisible();
  await expect(page.locator('.gate')).not.toContainText('DBus');
  await expect(page.locator('.gate')).not.toContainText('KEYWARD_PASSPHRASE');
  await expect(page.locator('aside.sidebar')).toHaveAttribute('inert', '');
  expect(errors).toEqual([]);
});
