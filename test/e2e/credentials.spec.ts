import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';

async function addAws(page: Page, name: string, key: { accessKeyId: string; secretAccessKey: string }, endpointUrl: string) {
  await page.getByRole('button', { name: 'Add Credential' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Add Credential' });
  await dialog.getByLabel('Name', { exact: true }).fill(name);
  await dialog.getByLabel('Access Key ID').fill(key.accessKeyId);
  await dialog.getByLabel('Secret Access Key', { exact: true }).fill(key.secretAccessKey);
  await dialog.getByLabel('Endpoint URL').fill(endpointUrl);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
}

function row(page: Page, name: string) {
  return page.getByRole('row').filter({ hasText: name });
}

test('an added AWS credential shows Unverified, then Valid without a reload, with its identity', async ({ app, e2e }) => {
  const key = e2e.newKey();
  // Hold the check long enough to see the Unverified state before the verdict.
  e2e.aws.faults.add({ service: 'sts', kind: 'latency', latencyMs: 1200, times: 1 });
  await addAws(app, 'AWS Production (us-east-1)', key, e2e.aws.url);
  const r = row(app, 'AWS Production (us-east-1)');
  await expect(r.getByTestId('status-badge')).toContainText(/Unverified|Verifying/);
  await expect(r.getByTestId('status-badge')).toHaveText('Valid', { timeout: 10_000 });
  await expect(r).toHaveAttribute('data-status', 'VALID');
  await r.getByTestId('status-badge').click();
  const details = app.getByRole('region', { name: 'Credential details' }).or(app.getByRole('dialog', { name: 'Credential details' }));
  await expect(details).toContainText('123456789012');
  await expect(details).toContainText(`arn:aws:iam::123456789012:user/${key.userName}`);
  // The key id is masked; the secret never reaches the page.
  await expect(details).toContainText(`AKIA${'*'.repeat(12)}${key.accessKeyId.slice(-4)}`);
  expect(await app.content()).not.toContain(key.secretAccessKey);
  await app.screenshot({ path: test.info().outputPath('credentials-valid.png'), fullPage: true });
});

test('an invalid secret shows Invalid with the AWS error and its diagnosis', async ({ app, e2e }) => {
  const key = e2e.newKey();
  await addAws(app, 'Wrong secret', { accessKeyId: key.accessKeyId, secretAccessKey: 'A'.repeat(40) }, e2e.aws.url);
  const r = row(app, 'Wrong secret');
  await expect(r.getByTestId('status-badge')).toHaveText('Invalid', { timeout: 10_000 });
  await r.getByTestId('status-badge').click();
  const details = app.getByRole('region', { name: 'Credential details' }).or(app.getByRole('dialog', { name: 'Credential details' }));
  await expect(details).toContainText('SignatureDoesNotMatch');
  await expect(details).toContainText('secret access key does not belong to this access key ID');
  await expect(details).toContainText('aws sts get-caller-identity');
  await app.screenshot({ path: test.info().outputPath('credentials-invalid.png'), fullPage: true });
});

test('the form validates as the admin types and says exactly what is wrong', async ({ app }) => {
  await app.getByRole('button', { name: 'Add Credential' }).first().click();
  const dialog = app.getByRole('dialog', { name: 'Add Credential' });
  await dialog.getByLabel('Name', { exact: true }).fill('x');
  await dialog.getByLabel('Access Key ID').fill('AKIA123');
  await dialog.getByLabel('Access Key ID').blur();
  await expect(dialog).toContainText('Access Key ID is 20 characters; this one has 7.');
  await dialog.getByLabel('Secret Access Key', { exact: true }).fill('short');
  await dialog.getByLabel('Secret Access Key', { exact: true }).blur();
  await expect(dialog).toContainText('Secret Access Key is 40 characters; this one has 5.');
  await expect(dialog.getByRole('button', { name: 'Create' })).toBeDisabled();
  await dialog.getByLabel('Endpoint URL').fill('not a url');
  await dialog.getByLabel('Endpoint URL').blur();
  await expect(dialog).toContainText('Enter a full URL');
  await app.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('delete asks for confirmation, warning that resources go too', async ({ app, e2e }) => {
  const key = e2e.newKey();
  await addAws(app, 'To delete', key, e2e.aws.url);
  const r = row(app, 'To delete');
  await expect(r).toBeVisible();
  await r.getByRole('button', { name: 'Delete To delete' }).click();
  const confirm = app.getByRole('dialog', { name: 'Delete credential' });
  await expect(confirm).toContainText('resources');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(r).toBeVisible();
  await r.getByRole('button', { name: 'Delete To delete' }).click();
  await app.getByRole('dialog', { name: 'Delete credential' }).getByRole('button', { name: 'Delete' }).click();
  await expect(row(app, 'To delete')).toHaveCount(0);
  expect(e2e.harness.core.credentials.list()).toHaveLength(0);
});

test('search and the status filter narrow the table', async ({ app, e2e }) => {
  const good = e2e.newKey();
  for (const [i, name] of ['alpha prod', 'beta prod', 'gamma dev'].entries()) {
    e2e.harness.core.credentials.add({
      name,
      provider: 'AWS',
      type: 'ACCESS_KEY',
      fields: { accessKeyId: good.accessKeyId, secretAccessKey: i === 2 ? 'B'.repeat(40) : good.secretAccessKey, endpointUrl: e2e.aws.url },
      verify: true,
    });
  }
  await expect(app.getByTestId('status-badge')).toHaveText(['Valid', 'Valid', 'Invalid'], { timeout: 10_000 });
  await app.getByLabel('Search credentials').fill('prod');
  await expect(app.getByText('2 of 3 credentials')).toBeVisible();
  await expect(row(app, 'gamma dev')).toHaveCount(0);
  await app.getByLabel('Search credentials').fill('');
  await app.getByLabel('Status filter').selectOption({ label: 'Invalid' });
  await expect(app.getByText('1 of 3 credentials')).toBeVisible();
  await expect(row(app, 'gamma dev')).toBeVisible();
});

test('Verify all re-checks every credential with a progress bar', async ({ app, e2e }) => {
  const names: string[] = [];
  for (let i = 0; i < 12; i++) {
    const key = e2e.newKey();
    const name = `bulk-${String(i).padStart(2, '0')}`;
    names.push(name);
    e2e.harness.core.credentials.add({
      name,
      provider: 'AWS',
      type: 'ACCESS_KEY',
      fields: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, endpointUrl: e2e.aws.url },
      verify: false,
    });
  }
  await app.reload();
  await expect(app.getByText('12 of 12 credentials')).toBeVisible();
  await expect(app.getByTestId('status-badge').first()).toHaveText('Unverified');
  // Slow AWS down so the progress is visible for a few seconds, even on a busy machine.
  e2e.aws.faults.add({ service: 'sts', kind: 'latency', latencyMs: 2000 });
  await app.getByRole('button', { name: 'Verify all' }).click();
  const bar = app.getByRole('progressbar');
  await expect(bar).toBeVisible();
  await expect(bar).toHaveAttribute('aria-valuemax', '12');
  await app.screenshot({ path: test.info().outputPath('verify-all-progress.png'), fullPage: true });
  await expect.poll(async () => await app.locator('[data-status="VALID"]').count(), { timeout: 20_000 }).toBe(12);
});

test('cancel stops a Verify all run before every credential is checked', async ({ app, e2e }) => {
  for (let i = 0; i < 40; i++) {
    const key = e2e.newKey();
    e2e.harness.core.credentials.add({
      name: `c-${i}`,
      provider: 'AWS',
      type: 'ACCESS_KEY',
      fields: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, endpointUrl: e2e.aws.url },
      verify: false,
    });
  }
  await app.reload();
  e2e.aws.faults.add({ service: 'sts', kind: 'latency', latencyMs: 700 });
  await app.getByRole('button', { name: 'Verify all' }).click();
  await expect(app.getByRole('progressbar')).toBeVisible();
  await app.getByRole('button', { name: 'Cancel' }).click();
  await expect.poll(() => e2e.harness.core.credentials.list().filter((c) => c.verifying).length, { timeout: 10_000 }).toBe(0);
  const checked = e2e.harness.core.credentials.list().filter((c) => c.status !== 'UNVERIFIED').length;
  expect(checked).toBeLessThan(40);
});

test('edit replaces a field without showing the old secret, and re-verifies', async ({ app, e2e }) => {
  const key = e2e.newKey();
  await addAws(app, 'Editable', { accessKeyId: key.accessKeyId, secretAccessKey: 'C'.repeat(40) }, e2e.aws.url);
  const r = row(app, 'Editable');
  await expect(r.getByTestId('status-badge')).toHaveText('Invalid', { timeout: 10_000 });
  await r.getByRole('button', { name: 'Edit', exact: true }).click();
  const dialog = app.getByRole('dialog', { name: 'Edit credential' });
  const secret = dialog.getByLabel('Secret Access Key', { exact: true });
  await expect(secret).toHaveValue('');
  await secret.fill(key.secretAccessKey);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(r.getByTestId('status-badge')).toHaveText('Valid', { timeout: 10_000 });
  expect(await app.content()).not.toContain(key.secretAccessKey);
});

test('keyboard: "/" focuses search and Ctrl+N opens Add Credential', async ({ app, e2e }) => {
  e2e.harness.core.credentials.add({ name: 'one', provider: 'APISIX', type: 'ADMIN_API_KEY', fields: { endpoint: 'http://127.0.0.1:1', adminApiKey: 'k' }, verify: false });
  await expect(row(app, 'one')).toBeVisible();
  await app.keyboard.press('/');
  await expect(app.getByLabel('Search credentials')).toBeFocused();
  await app.getByLabel('Search credentials').blur();
  await app.keyboard.press('Control+n');
  await expect(app.getByRole('dialog', { name: 'Add Credential' })).toBeVisible();
});

test('Copy copies a secret from main to the clipboard, never through the page, audits it and clears it', async ({ app, e2e }) => {
  const key = e2e.newKey();
  e2e.harness.core.credentials.add({
    name: 'copy me',
    provider: 'AWS',
    type: 'ACCESS_KEY',
    fields: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, endpointUrl: e2e.aws.url },
    verify: false,
  });
  const row = app.getByRole('row').filter({ hasText: 'copy me' });
  await row.getByTestId('status-badge').click();
  const details = app.getByRole('region', { name: 'Credential details' });
  await details.getByRole('button', { name: 'Copy Secret Access Key' }).click();
  await expect(app.getByText('Secret Access Key copied. The clipboard is cleared in 2 s.')).toBeVisible();
  expect(e2e.clipboard.text).toBe(key.secretAccessKey);
  expect(await app.content()).not.toContain(key.secretAccessKey);
  const events = e2e.harness.core.audit.list({ limit: 10 }).map((e) => e.action);
  expect(events).toContain('secret.copied');
  // Main clears the clipboard when the time is up (it still holds the secret).
  await expect.poll(() => e2e.clipboard.text, { timeout: 5000 }).toBe('');
});

test('Fill from the console’s .csv fills the key id and secret; a wrong file says why', async ({ app, e2e }) => {
  const key = e2e.newKey();
  await app.getByRole('button', { name: 'Add Credential' }).first().click();
  const dialog = app.getByRole('dialog', { name: 'Add Credential' });
  const picker = dialog.getByLabel('Access key .csv file');
  await picker.setInputFiles({ name: 'report.csv', mimeType: 'text/csv', buffer: Buffer.from('user,arn\nx,y\n') });
  await expect(dialog.getByRole('alert')).toContainText('report.csv: This is not the access key file the AWS console downloads');
  const csv = `User name,Password,Access key ID,Secret access key,Console login link\n${key.userName},,${key.accessKeyId},${key.secretAccessKey},https://123456789012.signin.aws.amazon.com/console\n`;
  await picker.setInputFiles({ name: `${key.userName}_accessKeys.csv`, mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await expect(dialog.getByLabel('Access Key ID')).toHaveValue(key.accessKeyId);
  await expect(dialog.getByLabel('Secret Access Key', { exact: true })).toHaveValue(key.secretAccessKey);
  await expect(dialog.getByLabel('Name', { exact: true })).toHaveValue(key.userName); // from the file's user name
  await expect(dialog.getByRole('alert')).toHaveCount(0);
  await dialog.getByLabel('Endpoint URL').fill(e2e.aws.url);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await expect(dialog).toBeHidden();
  await expect(row(app, key.userName).getByTestId('status-badge')).toHaveText('Valid', { timeout: 10_000 });
  expect(await app.content()).not.toContain(key.secretAccessKey);
});
