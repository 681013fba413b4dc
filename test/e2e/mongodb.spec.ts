import type { Page } from '@playwright/test';
import { startMongoStandIn, type MongoStandIn } from '../support/mongo-server';
import { test, expect } from './fixtures';

// A MongoDB credential through the real form: its fields come from shared/providers/mongodb.ts,
// the check is the official driver against the loopback stand-in (real wire protocol and
// SCRAM-SHA-256), started here.

let mongo: MongoStandIn;

test.beforeAll(async () => {
  mongo = await startMongoStandIn({ user: 'orders_app', db: 'admin' });
});
test.afterAll(async () => {
  await mongo?.stop();
});

function row(page: Page, name: string) {
  return page.getByRole('row').filter({ hasText: name });
}

async function openForm(page: Page, name: string) {
  await page.getByRole('button', { name: 'Add Credential' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add Credential' });
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByLabel('Provider').selectOption({ label: 'MongoDB' });
  return dialog;
}

test('a MongoDB credential added through the form turns Valid; a wrong password turns Invalid with the mongosh test', async ({ app }) => {
  const dialog = await openForm(app, 'Orders (MongoDB)');
  await expect(dialog.getByLabel('Port')).toHaveValue('27017'); // the field's default
  await expect(dialog.getByLabel('TLS')).toHaveValue('on');
  await dialog.getByLabel('Host').fill('mongodb://db');
  await expect(dialog).toContainText('Enter the host name only (e.g. db.example.com), without a scheme such as postgres://.');
  await expect(dialog.getByRole('button', { name: 'Create' })).toBeDisabled();
  await dialog.getByLabel('Host').fill(mongo.host);
  await dialog.getByLabel('Port').fill(String(mongo.port));
  await dialog.getByLabel('Database').fill(mongo.db);
  await dialog.getByLabel('User', { exact: true }).fill(mongo.user);
  await dialog.getByLabel('Password', { exact: true }).fill(mongo.password);
  await dialog.getByLabel('TLS').selectOption('off'); // the stand-in here speaks plain TCP
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
  const good = row(app, 'Orders (MongoDB)');
  await expect(good.getByTestId('status-badge')).toHaveText('Valid', { timeout: 10_000 });
  await good.getByTestId('status-badge').click();
  const details = app.getByRole('region', { name: 'Credential details' }).or(app.getByRole('dialog', { name: 'Credential details' }));
  await expect(details).toContainText('orders_app@admin');
  expect(await app.content()).not.toContain(mongo.password);
  await app.keyboard.press('Escape');

  const wrong = await openForm(app, 'Orders (wrong)');
  await wrong.getByLabel('Host').fill(mongo.host);
  await wrong.getByLabel('Port').fill(String(mongo.port));
  await wrong.getByLabel('Database').fill(mongo.db);
  await wrong.getByLabel('User', { exact: true }).fill(mongo.user);
  await wrong.getByLabel('Password', { exact: true }).fill('not-the-mongo-password');
  await wrong.getByLabel('TLS').selectOption('off');
  await wrong.getByRole('button', { name: 'Create' }).click();
  await expect(wrong).toBeHidden();
  const bad = row(app, 'Orders (wrong)');
  await expect(bad.getByTestId('status-badge')).toHaveText('Invalid', { timeout: 10_000 });
  await bad.getByTestId('status-badge').click();
  await expect(details).toContainText('AuthenticationFailed');
  await expect(details).toContainText(`mongosh --host 127.0.0.1 --port ${mongo.port} --username orders_app`);
  expect(await app.content()).not.toContain('not-the-mongo-password');
});
