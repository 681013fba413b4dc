import { maskKeyId } from '../../shared/mask';
import { test, expect } from './fixtures';

// The System Parameters page: the AWS S3 starting set, inline edit with validation,
// binding to a credential, Perform test, and a rotation updating a bound parameter.

test('edit, bind, Perform test, and a rotation updating the bound access key', async ({ app, e2e }) => {
  const key = e2e.newKey();
  const cred = e2e.addKey('Synergist IAM', key);
  await app.goto(`${e2e.harness.url}#/parameters`);
  const page = app.getByTestId('parameters-page');
  // The AWS S3 starting set is offered on an empty page, never pre-seeded, under a group name the admin can change.
  await expect(page.getByLabel('Group name')).toHaveValue('AWS S3');
  await page.getByRole('button', { name: 'Add AWS S3 parameters' }).click();
  await expect(page.locator('[data-parameter-key="S3_BUCKET"]')).toBeVisible();

  // Perform test with nothing set says so in the group, in the admin's words, and no toast is left behind.
  await page.getByRole('button', { name: 'Perform test' }).click();
  const problem = page.getByTestId('group-test-problem');
  await expect(problem).toContainText('Nothing to test yet');
  await expect(problem).toContainText('Bind the group');
  await expect(problem).not.toContainText('AWS role');
  await expect(app.locator('.toast')).toHaveCount(0);

  await app.getByRole('button', { name: 'Add parameter' }).click();
  const form = app.getByRole('dialog', { name: 'Add parameter' });
  // What Perform test reads a parameter as has a visible label.
  await expect(form.getByText('Perform test reads it as', { exact: true })).toBeVisible();
  await form.getByLabel('Key').fill('bad key');
  await expect(form.getByRole('alert')).toContainText('not a parameter key');
  await expect(form.getByRole('button', { name: 'Add', exact: true })).toBeDisabled();
  await form.getByLabel('Key').fill('RETRIES');
  await expect(form.getByLabel('Group')).toHaveValue('AWS S3');
  await form.getByLabel('Type').selectOption('number');
  await form.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(form).toBeHidden();
  await expect(page.locator('[data-parameter-key="RETRIES"]')).toBeVisible();

  // Inline edit with validation by type.
  const retries = page.locator('[data-parameter-key="RETRIES"]');
  await retries.getByRole('button', { name: 'Edit' }).click();
  await retries.getByLabel('Value of RETRIES').fill('many');
  await expect(retries.getByRole('alert')).toContainText('not a number');
  await retries.getByLabel('Value of RETRIES').fill('3');
  await retries.getByRole('button', { name: 'Save' }).click();
  await expect(retries.getByTestId('parameter-value')).toHaveText('3');

  // Bind the key, secret and region to the credential.
  for (const [k, field] of [
    ['IAM_ACCESS_KEY', 'accessKeyId'],
    ['SECRET_IAM_KEY', 'secretAccessKey'],
    ['AWS_REGION', 'region'],
  ] as const) {
    const row = page.locator(`[data-parameter-key="${k}"]`);
    await row.getByRole('button', { name: 'Bind' }).click();
    await row.getByLabel(`Credential for ${k}`).selectOption(cred.id);
    await row.getByLabel(`Field for ${k}`).selectOption(field);
    await row.getByRole('button', { name: 'Bind' }).click();
    await expect(row.getByTestId('parameter-bound')).toContainText(`Synergist IAM · ${field}`);
  }
  await expect(page.locator('[data-parameter-key="IAM_ACCESS_KEY"]').getByTestId('parameter-value')).toHaveText(maskKeyId(key.accessKeyId));
  await expect(page.locator('[data-parameter-key="SECRET_IAM_KEY"]').getByTestId('parameter-value')).toHaveText('••••••••');

  await page.getByRole('button', { name: 'Perform test' }).click();
  await expect(page.getByTestId('group-test')).toHaveAttribute('data-status', 'VALID');
  // The new result replaces the old message.
  await expect(problem).toHaveCount(0);
  await app.screenshot({ path: test.info().outputPath('parameters-bound.png'), fullPage: true });

  // A rotation moves the bound access key to the new key, with no reload.
  const rotations = e2e.harness.core.rotations;
  const rot = await rotations.start(await rotations.plan(cred.id));
  await expect(page.locator('[data-parameter-key="IAM_ACCESS_KEY"]').getByTestId('parameter-value')).toHaveText(maskKeyId(rot.newAccessKeyId));
  expect(await app.content()).not.toContain(key.secretAccessKey);
});
