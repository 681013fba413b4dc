import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { maskKeyId } from '../../shared/mask';
import { test, expect, type E2E } from './fixtures';

// The credential details panel's Deliveries: add a .env file against a temp path (the key
// written there now), test it (read back and checked with STS), see a failed check with its
// diagnosis once the file holds another key, remove it (with a confirmation), all by
// keyboard where it matters and with axe-core finding nothing.

async function awsCredential(e2e: E2E) {
  const key = e2e.newKey();
  const cred = e2e.harness.core.credentials.add({
    name: 'Payments app',
    provider: 'AWS',
    type: 'ACCESS_KEY',
    fields: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, region: 'us-east-1', endpointUrl: e2e.aws.url },
    verify: false,
  });
  await e2e.harness.core.credentials.verify(cred.id);
  return { cred, key };
}

async function openDetails(app: Page, e2e: E2E, credentialId: string) {
  await app.goto(`${e2e.harness.url}#/credentials`);
  await app.reload();
  await app.locator(`[data-credential-id="${credentialId}"] [data-testid="status-badge"]`).click();
  const panel = app.getByRole('region', { name: 'Credential details' });
  await expect(panel).toBeVisible();
  return panel;
}

const axe = async (app: Page) => (await new AxeBuilder({ page: app }).analyze()).violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);

test('a .env delivery in the details panel: add (written now), test, a failed check diagnosed, remove', async ({ app, e2e }) => {
  const { cred, key } = await awsCredential(e2e);
  const file = join(mkdtempSync(join(tmpdir(), 'keyward-e2e-dotenv-')), 'app.env');
  writeFileSync(file, 'APP_MODE=production\n');
  const panel = await openDetails(app, e2e, cred.id);
  const card = panel.getByTestId('deliveries');
  await expect(card.getByText('The key is kept only here')).toBeVisible();

  await card.getByRole('button', { name: 'Add delivery' }).click();
  const dialog = app.getByRole('dialog', { name: 'Add delivery' });
  await expect(dialog.getByLabel('Where the key goes')).toBeFocused();
  await dialog.getByLabel('Where the key goes').selectOption({ label: '.env file' });
  // The fields come from the kind's config: a required file, variables with AWS's names by default.
  await expect(dialog.getByLabel('Variable for the key ID')).toHaveAttribute('placeholder', 'AWS_ACCESS_KEY_ID');
  await expect(dialog.getByRole('button', { name: 'Add delivery' })).toBeDisabled();
  await dialog.getByLabel('File', { exact: true }).fill(file);
  await expect(dialog.getByLabel('Write the current key there now')).toBeChecked();
  expect(await axe(app)).toEqual([]);
  await app.screenshot({ path: test.info().outputPath('delivery-add.png') });
  await dialog.getByRole('button', { name: 'Add delivery' }).click();
  await expect(dialog).toBeHidden();

  const item = card.locator('[data-kind="dotenv"]');
  await expect(item).toContainText('.env file');
  await expect(item).toContainText(`AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in ${file}`);
  await expect(item.locator('dd[data-ok="true"]').first()).toContainText('OK');
  // The file now holds the key; every other line stays. The page never shows the secret or the whole key id.
  const text = readFileSync(file, 'utf8');
  expect(text).toContain('APP_MODE=production');
  expect(text).toContain(`AWS_ACCESS_KEY_ID=${key.accessKeyId}`);
  // A secret with / or + is written double-quoted.
  expect(text.split('\n')).toContainEqual(expect.stringMatching(new RegExp(`^AWS_SECRET_ACCESS_KEY=("?)${key.secretAccessKey.replace(/[+/]/g, '\\$&')}\\1$`)));
  await expect(item).toContainText(maskKeyId(key.accessKeyId));
  expect(await app.content()).not.toContain(key.secretAccessKey);
  expect(await app.content()).not.toContain(key.accessKeyId);

  // Test: read back and checked with STS.
  await item.getByRole('button', { name: /^Test \.env file/ }).click();
  const lastCheck = item.locator('dt', { hasText: 'Last check' }).locator('+ dd');
  await expect(lastCheck).toHaveAttribute('data-ok', 'true');
  expect(await axe(app)).toEqual([]);
  await app.screenshot({ path: test.info().outputPath('delivery-tested.png') });

  // Someone put another key in the file: the check fails, with what to do.
  const other = e2e.newKey();
  writeFileSync(file, `APP_MODE=production\nAWS_ACCESS_KEY_ID=${other.accessKeyId}\nAWS_SECRET_ACCESS_KEY=${'x'.repeat(40)}\n`);
  await item.getByRole('button', { name: /^Test \.env file/ }).click();
  await expect(lastCheck).toHaveAttribute('data-ok', 'false');
  await expect(item.locator('.form-error')).toBeVisible();
  expect(await axe(app)).toEqual([]);
  await app.screenshot({ path: test.info().outputPath('delivery-failed.png') });

  // Remove asks first; Cancel has the focus, so a stray Enter removes nothing.
  await item.getByRole('button', { name: /^Remove \.env file/ }).click();
  const confirm = app.getByRole('dialog', { name: 'Remove delivery' });
  await expect(confirm).toContainText('What the place holds now stays there');
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(confirm).toBeHidden();
  await expect(item).toBeVisible();
  await item.getByRole('button', { name: /^Remove \.env file/ }).click();
  await confirm.getByRole('button', { name: 'Remove', exact: true }).click();
  await expect(confirm).toBeHidden();
  await expect(card.locator('[data-kind="dotenv"]')).toHaveCount(0);
  expect(await e2e.harness.core.deliveries.list(cred.id)).toEqual([]);
  expect(e2e.harness.core.audit.list({ action: 'delivery.removed' })).toHaveLength(1);
});

test('an AWS credentials profile delivery refused for a bad profile name says why in the form', async ({ app, e2e }) => {
  const { cred } = await awsCredential(e2e);
  const panel = await openDetails(app, e2e, cred.id);
  await panel.getByRole('button', { name: 'Add delivery' }).click();
  const dialog = app.getByRole('dialog', { name: 'Add delivery' });
  await dialog.getByLabel('Where the key goes').selectOption({ label: 'AWS credentials profile' });
  await dialog.getByLabel('File', { exact: true }).fill(join(mkdtempSync(join(tmpdir(), 'keyward-e2e-ini-')), 'credentials'));
  await dialog.getByLabel('Profile').fill('[bad]');
  await dialog.getByRole('button', { name: 'Add delivery' }).click();
  await expect(dialog.getByRole('alert')).toContainText('brackets');
  await dialog.getByLabel('Profile').fill('payments');
  await dialog.getByRole('button', { name: 'Add delivery' }).click();
  await expect(dialog).toBeHidden();
  await expect(panel.locator('[data-kind="aws-profile"]')).toContainText('[payments] in');
});

test('the rotation wizard’s plan lists the deliveries; the rotation writes the new key there and the card shows it', async ({ app, e2e }) => {
  const { cred, key } = await awsCredential(e2e);
  const file = join(mkdtempSync(join(tmpdir(), 'keyward-e2e-rotate-env-')), 'app.env');
  await e2e.harness.core.deliveries.add({ credentialId: cred.id, kind: 'dotenv', config: { file }, write: true });
  await app.goto(`${e2e.harness.url}#/credentials`);
  await app.reload();
  await app.getByRole('button', { name: `Rotate key of ${cred.name}` }).click();
  const wizard = app.getByRole('dialog', { name: 'Rotate key' });
  await expect(wizard.getByTestId('rotation-deliveries')).toContainText(`AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in ${file}`);
  expect(await axe(app)).toEqual([]);
  await wizard.getByLabel('Wait before deleting the old key (watch its last use)').uncheck();
  await wizard.getByRole('button', { name: 'Start rotation' }).click();
  await expect(wizard.getByTestId('rotation-progress')).toHaveAttribute('data-state', 'DONE', { timeout: 30_000 });
  await wizard.locator('.dialog-footer').getByRole('button', { name: 'Close' }).click();

  const [newKey] = e2e.aws.state.listAccessKeys(key.userName);
  expect(newKey!.accessKeyId).not.toBe(key.accessKeyId);
  expect(readFileSync(file, 'utf8')).toContain(`AWS_ACCESS_KEY_ID=${newKey!.accessKeyId}`);
  await app.locator(`[data-credential-id="${cred.id}"] [data-testid="status-badge"]`).click();
  const item = app.getByRole('region', { name: 'Deliveries' }).locator('[data-kind="dotenv"]');
  await expect(item.locator('dt', { hasText: 'Last write' }).locator('+ dd')).toContainText(maskKeyId(newKey!.accessKeyId));
});
