import type { Page } from '@playwright/test';
import { makeTestCa, startPostgres, startRedis, type PostgresServer, type RedisServer, type TestCa } from '../support/connector-servers';
import { test, expect } from './fixtures';

// Connector credentials through the real form: the fields come from PROVIDERS, the
// check runs against real servers on 127.0.0.1 (redis-server, postgres) started here.

let redis: RedisServer;
let pg: PostgresServer;
/** The throwaway CA that issued redis-server's TLS certificate (for "localhost"). */
let ca: TestCa;

test.beforeAll(async () => {
  ca = makeTestCa();
  redis = await startRedis({ tls: ca });
  pg = await startPostgres();
});
test.afterAll(async () => {
  await redis?.stop();
  await pg?.stop();
  ca?.remove();
});

function row(page: Page, name: string) {
  return page.getByRole('row').filter({ hasText: name });
}

async function openForm(page: Page, name: string, provider: string) {
  await page.getByRole('button', { name: 'Add Credential' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add Credential' });
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByLabel('Provider').selectOption({ label: provider });
  return dialog;
}

test('a Redis credential added through the form turns Valid, with its user and server version', async ({ app }) => {
  const dialog = await openForm(app, 'Cache (ACL user)', 'Redis');
  await expect(dialog.getByLabel('Port')).toHaveValue('6379'); // the field's default
  await expect(dialog.getByLabel('TLS')).toHaveValue('off');
  await dialog.getByLabel('Host').fill(redis.host);
  await dialog.getByLabel('Port').fill(String(redis.port));
  await dialog.getByLabel('Username').fill(redis.aclUser);
  await dialog.getByLabel('Password', { exact: true }).fill(redis.aclPassword);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
  const r = row(app, 'Cache (ACL user)');
  await expect(r.getByTestId('status-badge')).toHaveText('Valid', { timeout: 10_000 });
  await r.getByTestId('status-badge').click();
  const details = app.getByRole('region', { name: 'Credential details' }).or(app.getByRole('dialog', { name: 'Credential details' }));
  await expect(details).toContainText(redis.aclUser);
  expect(await app.content()).not.toContain(redis.aclPassword);
});

test('a wrong Redis password shows Invalid with WRONGPASS and the redis-cli test, never the password', async ({ app }) => {
  const dialog = await openForm(app, 'Cache (wrong)', 'Redis');
  await dialog.getByLabel('Host').fill(redis.host);
  await dialog.getByLabel('Port').fill(String(redis.port));
  await dialog.getByLabel('Password', { exact: true }).fill('not-the-redis-password');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
  const r = row(app, 'Cache (wrong)');
  await expect(r.getByTestId('status-badge')).toHaveText('Invalid', { timeout: 10_000 });
  await r.getByTestId('status-badge').click();
  const details = app.getByRole('region', { name: 'Credential details' }).or(app.getByRole('dialog', { name: 'Credential details' }));
  await expect(details).toContainText('WRONGPASS');
  await expect(details).toContainText(`redis-cli -h 127.0.0.1 -p ${redis.port} --askpass PING`);
  expect(await app.content()).not.toContain('not-the-redis-password');
});

test('a PostgreSQL credential added through the form turns Valid; the form says exactly what is wrong first', async ({ app }) => {
  const dialog = await openForm(app, 'App database', 'PostgreSQL');
  await dialog.getByLabel('Host').fill(`postgres://${pg.host}`);
  await dialog.getByLabel('Port').fill('99999');
  await expect(dialog.getByRole('button', { name: 'Create' })).toBeDisabled();
  await expect(dialog).toContainText('Enter the host name only (e.g. db.example.com), without a scheme such as postgres://.');
  await expect(dialog).toContainText('Port is from 1 to 65535; 99999 is out of range.');
  await dialog.getByLabel('Host').fill(pg.host);
  await dialog.getByLabel('Port').fill(String(pg.port));
  await dialog.getByLabel('Database').fill(pg.database);
  await dialog.getByLabel('User', { exact: true }).fill(pg.user);
  await dialog.getByLabel('Password', { exact: true }).fill(pg.password);
  await dialog.getByLabel('TLS').selectOption('disable'); // the test server has no certificate
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
  const r = row(app, 'App database');
  await expect(r.getByTestId('status-badge')).toHaveText('Valid', { timeout: 10_000 });
  await r.getByTestId('status-badge').click();
  const details = app.getByRole('region', { name: 'Credential details' }).or(app.getByRole('dialog', { name: 'Credential details' }));
  await expect(details).toContainText(`${pg.user}@${pg.database}`);
  await expect(details).toContainText(/PostgreSQL \d+/);
  expect(await app.content()).not.toContain(pg.password);
});

test('a Redis credential over TLS with a private CA pasted into the form turns Valid', async ({ app }) => {
  const dialog = await openForm(app, 'Cache (private CA)', 'Redis');
  await dialog.getByLabel('Host').fill(ca.serverName);
  await dialog.getByLabel('Port').fill(String(redis.tlsPort));
  await dialog.getByLabel('Password', { exact: true }).fill(redis.password);
  await dialog.getByLabel('TLS').selectOption('on');
  const caField = dialog.getByLabel('CA certificate (PEM)');
  await caField.fill('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----');
  await expect(dialog).toContainText('holds a private key');
  await expect(dialog.getByRole('button', { name: 'Create' })).toBeDisabled();
  await caField.fill(ca.caPem);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
  const r = row(app, 'Cache (private CA)');
  await expect(r.getByTestId('status-badge')).toHaveText('Valid', { timeout: 10_000 });
  await r.getByTestId('status-badge').click();
  const details = app.getByRole('region', { name: 'Credential details' }).or(app.getByRole('dialog', { name: 'Credential details' }));
  await expect(details).toContainText('1 certificate (PEM)');
  expect(await app.content()).not.toContain(redis.password);
});
