import { test, expect } from './fixtures';

// Settings → Preferences: the theme (System / Light / Dark) applies at once and on every
// screen, the lock screen included, and survives a restart; the clipboard clear time
// (Never warns); the default AWS region, which the Add form starts from.

const background = (app: import('@playwright/test').Page) => app.evaluate(() => getComputedStyle(document.body).backgroundColor);
const LIGHT_BG = 'rgb(246, 247, 249)';
const DARK_BG = 'rgb(21, 24, 28)';

test('the theme override applies at once, everywhere, and after a restart', async ({ app, e2e }) => {
  await app.emulateMedia({ colorScheme: 'light' });
  await app.goto(`${e2e.harness.url}#/settings`);
  const prefs = app.getByTestId('preferences');
  await expect(prefs.getByRole('radio', { name: 'System' })).toBeChecked();
  expect(await background(app)).toBe(LIGHT_BG);

  await prefs.getByRole('radio', { name: 'Dark' }).check();
  await expect.poll(() => background(app)).toBe(DARK_BG);
  await expect(app.locator('html')).toHaveAttribute('data-theme', 'dark');

  // The lock screen follows it, before any vault is open; so does a new start of the window.
  await e2e.harness.core.lock();
  await expect(app.getByRole('heading', { name: 'The vault is locked' })).toBeVisible();
  expect(await background(app)).toBe(DARK_BG);
  await app.reload();
  await expect(app.getByRole('heading', { name: 'The vault is locked' })).toBeVisible();
  expect(await background(app)).toBe(DARK_BG);
  await app.screenshot({ path: test.info().outputPath('locked-dark-override.png') });
  await app.getByLabel('Passphrase').fill('e2e passphrase 12345');
  await app.getByRole('button', { name: 'Unlock' }).click();

  // Light against a dark system, then back to the system's.
  await app.emulateMedia({ colorScheme: 'dark' });
  await app.goto(`${e2e.harness.url}#/settings`);
  await prefs.getByRole('radio', { name: 'Light' }).check();
  await expect.poll(() => background(app)).toBe(LIGHT_BG);
  await prefs.getByRole('radio', { name: 'System' }).check();
  await expect.poll(() => background(app)).toBe(DARK_BG);
  await expect(app.locator('html')).not.toHaveAttribute('data-theme', /./);
});

test('the clipboard clear time and the default region are saved in the vault; the Add form starts from the region', async ({ app, e2e }) => {
  await app.goto(`${e2e.harness.url}#/settings`);
  const prefs = app.getByTestId('preferences');
  const clear = prefs.getByLabel('Clear a copied secret after');
  await expect(clear).toHaveValue('30');
  await clear.selectOption({ label: '2 minutes' });
  await expect.poll(() => e2e.harness.core.openVault.db.prepare("SELECT value FROM meta WHERE key = 'vault_settings'").pluck().get()).toContain('"clipboardClearSeconds":120');
  await expect(prefs.getByText(/stays on the clipboard/)).toHaveCount(0);
  await clear.selectOption({ label: 'Never' });
  await expect(prefs.getByRole('status')).toContainText('stays on the clipboard until you copy something else or lock the vault');

  await prefs.getByLabel('Default AWS region').selectOption('eu-west-1');
  await expect(prefs.getByLabel('Default AWS region')).toHaveValue('eu-west-1');
  await expect.poll(() => e2e.harness.core.audit.list({ action: 'settings.changed' }).length).toBe(3);

  await app.getByRole('link', { name: 'Credentials' }).click();
  await app.getByRole('button', { name: 'Add Credential' }).first().click();
  const dialog = app.getByRole('dialog', { name: 'Add Credential' });
  await expect(dialog.getByLabel('Region')).toHaveValue('eu-west-1');
});
