import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from '@playwright/test';
import { PassphraseKeyProvider } from '../../electron/core/keys/passphrase';
import { Vault } from '../../electron/core/vault/vault';
import { awsKeyInput } from '../support/fixtures';
import { test, expect, PASSPHRASE, type E2E } from './fixtures';
import { startHarness } from './harness';

// The rotation wizard on the real renderer: the two-key choice, a whole rotation, a stop
// with its diagnosis and a rollback, and the unfinished-rotation banner at start.

function addCredential(e2e: E2E, name: string, key: { accessKeyId: string; secretAccessKey: string }) {
  // Through the harness given (a test may pass another vault's), not the fixture's own.
  return e2e.harness.core.credentials.add(awsKeyInput(name, key, e2e.aws.url));
}

async function openWizard(page: Page, name: string) {
  await page.getByRole('button', { name: `Rotate key of ${name}` }).click();
  return page.getByRole('dialog', { name: 'Rotate key' });
}

test('the whole wizard: two keys, the inactive one chosen for deletion, then every step to Done', async ({ app, e2e }) => {
  const key = e2e.newKey();
  const extra = e2e.aws.state.createAccessKey(key.userName, { status: 'Inactive' });
  addCredential(e2e, 'Synergist S3', key);
  const wizard = await openWizard(app, 'Synergist S3');
  await expect(wizard.getByTestId('rotation-user')).toHaveText(key.userName);
  await expect(wizard.getByTestId('rotation-keys').locator('tbody tr')).toHaveCount(2);
  const start = wizard.getByRole('button', { name: 'Start rotation' });
  // Two keys, and only one may go first: it is chosen for the admin.
  await expect(wizard.getByTestId('two-key-choice').getByRole('radio')).toBeChecked();
  await expect(start).toBeEnabled();
  await expect(wizard.getByTestId('rotation-keys').locator('thead th').last()).toHaveText('In Keyward');
  // Waiting before the delete is the default; this run deletes at once.
  const hold = wizard.getByLabel('Wait before deleting the old key (watch its last use)');
  await expect(hold).toBeChecked();
  await hold.uncheck();
  await app.screenshot({ path: test.info().outputPath('rotation-plan.png'), fullPage: true });
  await start.click();
  await expect(wizard.getByTestId('rotation-progress')).toHaveAttribute('data-state', 'DONE', { timeout: 20_000 });
  await expect(wizard.getByTestId('rotation-done')).toBeVisible();
  await expect(wizard.locator('[data-step-state="done"]')).toHaveCount(8);
  await app.screenshot({ path: test.info().outputPath('rotation-done.png'), fullPage: true });
  const keys = e2e.aws.state.listAccessKeys(key.userName);
  expect(keys.map((k) => k.status)).toEqual(['Active']);
  expect(keys[0].accessKeyId).not.toBe(key.accessKeyId);
  expect(e2e.aws.state.getAccessKey(extra.accessKeyId)).toBeUndefined();
  expect(await app.content()).not.toContain(e2e.aws.state.getAccessKey(keys[0].accessKeyId)!.secretAccessKey);
  // The row and the details panel say when the key was last rotated.
  await wizard.locator('.dialog-footer').getByRole('button', { name: 'Close' }).click();
  const row = app.locator('[role="row"]', { hasText: 'Synergist S3' });
  await expect(row.getByTestId('last-rotated')).toContainText('rotated');
  await row.getByTestId('status-badge').click();
  const details = app.getByRole('region', { name: 'Credential details' }).or(app.getByRole('dialog', { name: 'Credential details' }));
  await expect(details.getByTestId('last-rotated')).toContainText('Key last rotated');
});

test('with two active keys, why Start is disabled is in view until the admin confirms the delete', async ({ app, e2e }) => {
  const key = e2e.newKey();
  e2e.aws.state.createAccessKey(key.userName);
  addCredential(e2e, 'Two active', key);
  await app.setViewportSize({ width: 900, height: 560 });
  const wizard = await openWizard(app, 'Two active');
  await expect(wizard.getByTestId('two-key-choice').getByRole('radio')).toBeChecked();
  const start = wizard.getByRole('button', { name: 'Start rotation' });
  await expect(start).toBeDisabled();
  const reason = wizard.getByTestId('start-blocked');
  await expect(reason).toContainText('confirm that the active key');
  await expect(reason).toBeInViewport();
  await wizard.getByLabel(/This key is ACTIVE/).check();
  await expect(start).toBeEnabled();
  await expect(reason).toHaveCount(0);
});

test('waiting before the delete shows the old key’s last use; Delete old key then finishes', async ({ app, e2e }) => {
  const key = e2e.newKey();
  addCredential(e2e, 'Watched', key);
  const wizard = await openWizard(app, 'Watched');
  await wizard.getByLabel('Wait before deleting the old key (watch its last use)').check();
  await wizard.getByRole('button', { name: 'Start rotation' }).click();
  const watch = wizard.getByTestId('old-key-watch');
  await expect(watch).toBeVisible({ timeout: 20_000 });
  await expect(wizard.getByTestId('old-key-status')).toHaveText('Inactive');
  await expect(wizard.getByTestId('old-key-last-used')).toContainText('iam, us-east-1'); // the rotation's own calls
  e2e.aws.state.recordKeyUse(key.accessKeyId, { service: 's3', region: 'eu-west-1', at: new Date(Date.now() + 60_000) });
  await wizard.getByRole('button', { name: 'Refresh' }).click();
  await expect(wizard.getByTestId('old-key-last-used')).toContainText('s3, eu-west-1');
  await expect(wizard.locator('[data-step="delete-old"]')).toHaveAttribute('data-step-state', 'pending');
  expect(e2e.aws.state.getAccessKey(key.accessKeyId)?.status).toBe('Inactive');
  await expect(wizard.getByRole('button', { name: 'Roll back' })).toBeEnabled();
  await app.screenshot({ path: test.info().outputPath('rotation-hold.png'), fullPage: true });
  await wizard.getByRole('button', { name: 'Delete old key' }).click();
  await expect(wizard.getByTestId('rotation-progress')).toHaveAttribute('data-state', 'DONE', { timeout: 20_000 });
  expect(e2e.aws.state.getAccessKey(key.accessKeyId)).toBeUndefined();
});

test('a stop is diagnosed, and Roll back restores the old key', async ({ app, e2e }) => {
  const key = e2e.newKey();
  e2e.aws.state.setUserPolicy(key.userName, { allow: ['sts:*', 'iam:ListAccessKeys', 'iam:GetAccessKeyLastUsed', 'iam:CreateAccessKey', 'iam:DeleteAccessKey'] });
  addCredential(e2e, 'No update permission', key);
  const wizard = await openWizard(app, 'No update permission');
  await wizard.getByRole('button', { name: 'Start rotation' }).click();
  const error = wizard.getByTestId('rotation-error');
  await expect(error).toContainText('iam:UpdateAccessKey', { timeout: 20_000 });
  await app.screenshot({ path: test.info().outputPath('rotation-stopped.png'), fullPage: true });
  await wizard.getByRole('button', { name: 'Roll back' }).click();
  await expect(wizard.getByTestId('rotation-rolled-back')).toBeVisible({ timeout: 20_000 });
  expect(e2e.aws.state.listAccessKeys(key.userName).map((k) => k.accessKeyId)).toEqual([key.accessKeyId]);
  const cred = e2e.harness.core.credentials.find('No update permission');
  expect(cred.fields.accessKeyId).toBe(key.accessKeyId);
});

test('an unfinished rotation is offered at start with Resume', async ({ app, e2e }) => {
  const key = e2e.newKey();
  e2e.aws.state.setUserPolicy(key.userName, { allow: ['sts:*', 'iam:ListAccessKeys', 'iam:GetAccessKeyLastUsed', 'iam:CreateAccessKey'] });
  const cred = addCredential(e2e, 'Left unfinished', key);
  const rotations = e2e.harness.core.rotations;
  await rotations.start(await rotations.plan(cred.id)).catch(() => undefined);
  e2e.aws.state.setUserPolicy(key.userName, { allow: ['*'] });
  await app.reload();
  const banner = app.getByTestId('unfinished-rotations');
  await expect(banner).toContainText(key.userName);
  await app.screenshot({ path: test.info().outputPath('rotation-unfinished.png'), fullPage: true });
  await banner.getByRole('button', { name: 'Resume' }).click();
  const wizard = app.getByRole('dialog', { name: 'Rotate key' });
  await expect(wizard.getByTestId('rotation-progress')).toHaveAttribute('data-state', 'DONE', { timeout: 20_000 });
  expect(e2e.aws.state.listAccessKeys(key.userName).map((k) => k.status)).toEqual(['Active']);
});

test('an admin credential acts on a user found by name, like IAM → Users', async ({ app, e2e }) => {
  e2e.aws.state.createUser('SynergistExpress-4711');
  const target = e2e.aws.state.createAccessKey('SynergistExpress-4711');
  const admin = e2e.newKey();
  addCredential(e2e, 'Synergist 4711', target);
  addCredential(e2e, 'Admin', admin);
  const wizard = await openWizard(app, 'Synergist 4711');
  await expect(wizard.getByTestId('rotation-user')).toHaveText('SynergistExpress-4711');
  await wizard.getByLabel('Acting credential').selectOption({ label: 'Admin' });
  await wizard.getByLabel('Filter IAM users').fill('synergist');
  await wizard.getByRole('button', { name: 'Search users' }).click();
  await expect(wizard.getByTestId('iam-users').getByRole('radio')).toHaveCount(1);
  await wizard.getByTestId('iam-users').getByRole('radio').click();
  await expect(wizard.getByTestId('rotation-plan')).toContainText('acting as an admin credential');
  await wizard.getByLabel('Wait before deleting the old key (watch its last use)').uncheck();
  await wizard.getByRole('button', { name: 'Start rotation' }).click();
  await expect(wizard.getByTestId('rotation-progress')).toHaveAttribute('data-state', 'DONE', { timeout: 20_000 });
  const keys = e2e.aws.state.listAccessKeys('SynergistExpress-4711');
  expect(keys).toHaveLength(1);
  expect(keys[0].accessKeyId).not.toBe(target.accessKeyId);
  expect(e2e.aws.state.listAccessKeys(admin.userName).map((k) => k.accessKeyId)).toEqual([admin.accessKeyId]);
});

test('after a process was killed mid-rotation, the app offers Resume at start and finishes it', async ({ page, e2e }) => {
  // A vault the CLI uses; the CLI is SIGKILLed right after AWS created the new key and the
  // journal recorded it (before the wait step). Then the app starts on the same vault.
  const dir = join(mkdtempSync(join(tmpdir(), 'keyward-e2e-killed-')), 'vault');
  (await Vault.init(dir, new PassphraseKeyProvider(PASSPHRASE, { N: 2 ** 12, r: 8, p: 1 }))).close();
  const key = e2e.newKey();
  const first = await startHarness({ vaultDir: dir, passphrase: PASSPHRASE });
  addCredential({ ...e2e, harness: first }, 'Killed mid-rotation', key);
  await first.close();

  const signal = join(mkdtempSync(join(tmpdir(), 'keyward-e2e-signal-')), 'paused');
  // The CLI's entry with a fault port (test-only): it stops at the point and waits to be killed.
  const entry = resolve(import.meta.dirname, '../support/keyward-with-faults.mjs');
  const child = spawn(process.execPath, [entry, '--pause-at', 'before:wait-for-key', '--pause-file', signal, '--', 'rotate', 'Killed mid-rotation', '--yes'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, KEYWARD_HOME: dir, KEYWARD_PASSPHRASE: PASSPHRASE },
    stdio: 'ignore',
  });
  await expect.poll(() => existsSync(signal), { timeout: 30_000 }).toBe(true);
  child.kill('SIGKILL');
  expect(e2e.aws.state.listAccessKeys(key.userName)).toHaveLength(2);

  const harness = await startHarness({ vaultDir: dir, passphrase: PASSPHRASE });
  try {
    await page.addInitScript({ content: harness.bridgeScript });
    await page.goto(harness.url);
    const banner = page.getByTestId('unfinished-rotations');
    await expect(banner).toContainText(key.userName);
    await banner.getByRole('button', { name: 'Resume' }).click();
    await expect(page.getByRole('dialog', { name: 'Rotate key' }).getByTestId('rotation-progress')).toHaveAttribute('data-state', 'DONE', { timeout: 20_000 });
    const keys = e2e.aws.state.listAccessKeys(key.userName);
    expect(keys.map((k) => k.status)).toEqual(['Active']);
    expect(harness.core.credentials.find('Killed mid-rotation').fields.accessKeyId).toBe(keys[0].accessKeyId);
  } finally {
    await harness.close();
  }
});

test('rotating every due key in view: the plan, the run with progress, a failed key in the summary', async ({ app, e2e }) => {
  const old = () => {
    const key = e2e.newKey();
    const aged = e2e.aws.state.createAccessKey(key.userName, { createDate: new Date(Date.now() - 120 * 86_400_000) });
    e2e.aws.state.deleteAccessKey(key.accessKeyId);
    return { ...aged, userName: key.userName };
  };
  const keys = [old(), old(), old()];
  const creds = keys.map((k, i) => addCredential(e2e, `Fleet ${i}`, k));
  // Fleet 0's key is also in a .env file: the plan names it, the run writes the new key there.
  const envFile = join(mkdtempSync(join(tmpdir(), 'keyward-e2e-fleet-env-')), 'fleet0.env');
  await e2e.harness.core.deliveries.add({ credentialId: creds[0]!.id, kind: 'dotenv', config: { file: envFile } });
  addCredential(e2e, 'Fresh', e2e.newKey());
  e2e.aws.state.setUserPolicy(keys[1].userName, { allow: ['sts:*', 'iam:ListAccessKeys', 'iam:GetAccessKeyLastUsed', 'iam:CreateAccessKey', 'iam:DeleteAccessKey'] });
  await app.reload();
  await app.getByTestId('rotate-due').click();
  const dialog = app.getByRole('dialog', { name: 'Rotate due keys' });
  await expect(dialog.getByTestId('fleet-plan-summary')).toContainText('3 keys due', { timeout: 20_000 });
  await expect(dialog.getByTestId('fleet-due').locator('tbody tr')).toHaveCount(3);
  await expect(dialog.getByTestId('fleet-skipped')).toContainText('Not due');
  await expect(dialog.locator(`[data-credential-id="${creds[0]!.id}"]`)).toContainText(envFile);
  await expect(dialog.locator(`[data-credential-id="${creds[2]!.id}"]`)).toContainText('the credential only');
  expect(keys.map((k) => e2e.aws.state.listAccessKeys(k.userName).length)).toEqual([1, 1, 1]); // the plan changed nothing
  await app.screenshot({ path: test.info().outputPath('rotation-fleet-plan.png'), fullPage: true });
  await dialog.getByRole('button', { name: 'Rotate 3 keys' }).click();
  await expect(dialog.getByRole('progressbar', { name: 'Rotation run progress' })).toBeVisible();
  await expect(dialog.getByTestId('fleet-summary')).toContainText('2 rotated, 0 held, 1 skipped, 1 failed', { timeout: 30_000 });
  await expect(dialog.getByRole('progressbar', { name: 'Rotation run progress' })).toHaveAttribute('aria-valuenow', '3');
  const failed = dialog.locator('[data-outcome="failed"]');
  await expect(failed).toContainText('Fleet 1');
  await expect(failed).toContainText('iam:UpdateAccessKey');
  await expect(failed).toContainText('keyward rotate --resume');
  await app.screenshot({ path: test.info().outputPath('rotation-fleet-summary.png'), fullPage: true });
  for (const i of [0, 2]) expect(e2e.aws.state.listAccessKeys(keys[i].userName).map((k) => k.status)).toEqual(['Active']);
  expect(readFileSync(envFile, 'utf8')).toContain(`AWS_ACCESS_KEY_ID=${e2e.aws.state.listAccessKeys(keys[0].userName)[0]!.accessKeyId}`);
  await dialog.getByRole('button', { name: 'Close' }).last().click();
  await expect(app.getByTestId('unfinished-rotations')).toContainText(keys[1].userName);
});
