import type { Page } from '@playwright/test';
import { startGoogleTokenServer, startMicrosoftTokenServer, startVaultTestServer } from '../support/oauth-servers';
import { test, expect } from './fixtures';

// GCP, Azure and HashiCorp Vault credentials added through the form, built from
// PROVIDERS: each turns Valid without a reload, and a rejected one shows its diagnosis.

async function openForm(page: Page, provider: string, name: string) {
  await page.getByRole('button', { name: 'Add Credential' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add Credential' });
  await dialog.getByLabel('Provider').selectOption({ label: provider });
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  return dialog;
}

function row(page: Page, name: string) {
  return page.getByRole('row').filter({ hasText: name });
}

function details(page: Page) {
  return page.getByRole('region', { name: 'Credential details' }).or(page.getByRole('dialog', { name: 'Credential details' }));
}

test('a HashiCorp Vault token turns Valid with its policies; a revoked one shows Invalid with `vault token lookup`', async ({ app }) => {
  const hv = await startVaultTestServer();
  try {
    const token = hv.createToken({ displayName: 'token-e2e', policies: ['default', 'kv-read'], ttlS: 3 * 3600 });
    let dialog = await openForm(app, 'HashiCorp Vault', 'Vault prod');
    await expect(dialog.getByLabel('Type')).toHaveValue('TOKEN');
    await dialog.getByLabel('Address').fill(hv.url);
    await dialog.getByLabel('Token', { exact: true }).fill(token);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(dialog).toBeHidden();
    const r = row(app, 'Vault prod');
    await expect(r.getByTestId('status-badge')).toHaveText('Valid', { timeout: 10_000 });
    await r.getByTestId('status-badge').click();
    await expect(details(app)).toContainText('token-e2e');
    await expect(details(app)).toContainText('default, kv-read');
    await expect(details(app).getByTestId('identity-warning')).toContainText('The token expires in');
    expect(await app.content()).not.toContain(token);
    await app.keyboard.press('Escape');

    const revoked = hv.createToken();
    hv.revoke(revoked);
    dialog = await openForm(app, 'HashiCorp Vault', 'Vault revoked');
    await dialog.getByLabel('Address').fill(hv.url);
    await dialog.getByLabel('Token', { exact: true }).fill(revoked);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(dialog).toBeHidden();
    const bad = row(app, 'Vault revoked');
    await expect(bad.getByTestId('status-badge')).toHaveText('Invalid', { timeout: 10_000 });
    await bad.getByTestId('status-badge').click();
    await expect(details(app)).toContainText('InvalidToken');
    await expect(details(app).getByTestId('diagnosis-cause')).toContainText('Vault does not accept this token');
    await expect(details(app)).toContainText(`VAULT_ADDR=${hv.url} vault token lookup`);
    expect(await app.content()).not.toContain(revoked);
    await app.screenshot({ path: test.info().outputPath('vault-invalid.png'), fullPage: true });
  } finally {
    await hv.close();
  }
});

test('an Azure client secret past its expiry shows AADSTS7000222 and the expiry warning', async ({ app }) => {
  const ms = await startMicrosoftTokenServer();
  try {
    const tenant = ms.createTenant();
    const appId = ms.createApp(tenant);
    const secret = ms.addSecret(tenant, appId, new Date(Date.now() - 2 * 86_400_000));
    const dialog = await openForm(app, 'Azure', 'Entra app');
    await dialog.getByLabel('Tenant ID').fill(tenant);
    await dialog.getByLabel('Client (application) ID').fill(appId);
    await dialog.getByLabel('Client secret', { exact: true }).fill(secret);
    await dialog.getByLabel('Secret expiry date').fill('2020-13-01');
    await dialog.getByLabel('Secret expiry date').blur();
    await expect(dialog).toContainText('Secret expiry date "2020-13-01" is not a real date.');
    await dialog.getByLabel('Secret expiry date').fill('2020-12-31');
    await dialog.getByLabel('Authority host').fill(ms.url);
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(dialog).toBeHidden();
    const r = row(app, 'Entra app');
    await expect(r.getByTestId('status-badge')).toHaveText('Invalid', { timeout: 10_000 });
    await r.getByTestId('status-badge').click();
    await expect(details(app)).toContainText('AADSTS7000222');
    await expect(details(app).getByTestId('diagnosis-cause')).toContainText('The client secret has expired');
    await expect(details(app).getByTestId('diagnosis-found')).toContainText('2020-12-31, has passed');
    expect(await app.content()).not.toContain(secret);
    // The Inventory counts it among the secrets past their end date, and its tile filters the table to it.
    await app.getByRole('link', { name: 'Inventory' }).click();
    const tile = app.getByRole('button').filter({ hasText: 'Secrets expired or expiring' });
    await expect(tile.locator('.figure-count')).toHaveText('1');
    await expect(tile).toContainText('1 expired, 0 within 14 days');
    await tile.click();
    await expect(app.getByRole('heading', { name: 'Credentials', level: 1 })).toBeVisible();
    await expect(app.getByRole('row').filter({ hasText: 'Entra app' })).toBeVisible();
  } finally {
    await ms.close();
  }
});

test('a GCP key JSON pasted into the textarea turns Valid, showing only the email, project and key id', async ({ app }) => {
  const google = await startGoogleTokenServer();
  try {
    const email = google.createServiceAccount('e2e-sa', 'keyward-e2e');
    const key = google.createKey(email);
    const dialog = await openForm(app, 'GCP', 'GCP e2e');
    const area = dialog.getByLabel('Service account key (JSON)');
    await area.fill('{"type": "authorized_user"}');
    await area.blur();
    await expect(dialog).toContainText('Keyward needs a service account key');
    await area.fill(key.json);
    await app.screenshot({ path: test.info().outputPath('gcp-form.png'), fullPage: true });
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(dialog).toBeHidden();
    const r = row(app, 'GCP e2e');
    await expect(r.getByTestId('status-badge')).toHaveText('Valid', { timeout: 10_000 });
    await r.getByTestId('status-badge').click();
    await expect(details(app)).toContainText(email);
    await expect(details(app)).toContainText('keyward-e2e');
    await expect(details(app)).toContainText(key.privateKeyId);
    await app.screenshot({ path: test.info().outputPath('gcp-valid.png'), fullPage: true });
    const html = await app.content();
    for (const line of key.privateKey.split('\n').filter((l) => l.length >= 60)) expect(html).not.toContain(line);
  } finally {
    await google.close();
  }
});
