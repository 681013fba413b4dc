import { test, expect } from './fixtures';
import type { E2E } from './fixtures';

const SG = 'sg-0123456789abcdef0';

async function seedCredential(e2e: E2E, name: string, allow: string[] = ['*']) {
  const key = e2e.newKey();
  e2e.aws.state.setUserPolicy(key.userName, { allow });
  const c = e2e.addKey(name, key);
  await e2e.harness.core.credentials.verify(c.id);
  return c;
}

test('a region-mismatch group: Verify capacity says where the group is, and Fix region makes it Valid', async ({ app, e2e }) => {
  e2e.aws.state.addSecurityGroup({ groupId: SG, region: 'us-west-2' });
  const c = await seedCredential(e2e, 'AWS Production (us-east-1)');
  e2e.harness.core.resources.add({ credential: c.id, groupId: SG });
  await app.goto(`${e2e.harness.url}#/resources`);
  const table = app.getByRole('table', { name: 'Resources' });
  const row = table.getByRole('row').filter({ hasText: SG });
  await expect(row).toContainText('AWS Production (us-east-1)');
  await expect(row).toContainText('us-east-1');
  await row.getByRole('button', { name: 'Verify capacity' }).click();
  await expect(row.getByTestId('resource-status')).toContainText('Invalid');
  await row.getByTestId('resource-status').click();
  const details = app.getByRole('region', { name: 'Resource details' });
  await expect(details.getByTestId('diagnosis-found')).toHaveText(`${SG} exists in us-west-2, but the resource’s and the credential’s region is us-east-1.`);
  await expect(details).toContainText('InvalidGroup.NotFound');
  await expect(details).toContainText(`aws ec2 describe-security-groups --group-ids ${SG} --region us-west-2`);
  await app.screenshot({ path: test.info().outputPath('resources-region-mismatch.png'), fullPage: true });
  await details.getByRole('button', { name: 'Fix region: move to us-west-2' }).click();
  await expect(row.getByTestId('resource-status')).toContainText('Valid');
  await expect(row).toContainText('us-west-2');
});

test('register a group in the form, Verify all, and the credential’s delete dialog lists its resources', async ({ app, e2e }) => {
  e2e.aws.state.addSecurityGroup({ groupId: SG, region: 'us-east-1' });
  await seedCredential(e2e, 'Ops');
  await app.goto(`${e2e.harness.url}#/resources`);
  const form = app.getByRole('form', { name: 'Register a security group' });
  await form.getByLabel('Security group id').fill('sg-12');
  await form.getByRole('button', { name: 'Register' }).click();
  await expect(form.getByRole('alert')).toContainText('sg- followed by 8 or 17 hex digits');
  await form.getByLabel('Security group id').fill(SG);
  await form.getByRole('button', { name: 'Register' }).click();
  const row = app.getByRole('table', { name: 'Resources' }).getByRole('row').filter({ hasText: SG });
  await expect(row).toContainText('Unverified');
  await app.getByRole('button', { name: 'Verify all' }).click();
  await expect(row.getByTestId('resource-status')).toContainText('Valid');

  await app.goto(`${e2e.harness.url}#/credentials`);
  await app.getByRole('button', { name: 'Delete Ops' }).click();
  const dialog = app.getByRole('dialog', { name: 'Delete credential' });
  await expect(dialog.getByTestId('delete-resources')).toContainText(`${SG} (us-east-1)`);
  await dialog.getByRole('button', { name: 'Delete' }).click();
  await expect(dialog).toBeHidden();
  expect(e2e.harness.core.resources.list()).toEqual([]);
});

test('the credential details panel shows the missing permission and Test connection', async ({ app, e2e }) => {
  const key = e2e.newKey();
  e2e.harness.core.credentials.add({
    name: 'Admin',
    provider: 'AWS',
    type: 'ACCESS_KEY',
    fields: { ...(await seedKey(e2e)), region: 'us-east-1', endpointUrl: e2e.aws.url },
    verify: false,
  });
  await e2e.harness.core.credentials.verifyMany('all').done;
  const c = e2e.addKey('Rotated away', key);
  await e2e.harness.core.credentials.verify(c.id);
  e2e.aws.state.setAccessKeyStatus(key.accessKeyId, 'Inactive');
  await e2e.harness.core.credentials.verify(c.id);
  await app.goto(`${e2e.harness.url}#/credentials`);
  const row = app.getByRole('row').filter({ hasText: 'Rotated away' });
  await expect(row.getByTestId('status-badge')).toHaveText('Invalid');
  await row.getByTestId('status-badge').click();
  const details = app.getByRole('region', { name: 'Credential details' }).or(app.getByRole('dialog', { name: 'Credential details' }));
  await expect(details.getByTestId('diagnosis-found')).toContainText(`${key.accessKeyId} of IAM user ${key.userName} is inactive`);
  await app.screenshot({ path: test.info().outputPath('credential-diagnosis.png'), fullPage: true });
  e2e.aws.state.setAccessKeyStatus(key.accessKeyId, 'Active');
  await details.getByRole('button', { name: 'Test connection' }).click();
  await expect(row.getByTestId('status-badge')).toHaveText('Valid');
});

async function seedKey(e2e: E2E) {
  const k = e2e.newKey();
  return { accessKeyId: k.accessKeyId, secretAccessKey: k.secretAccessKey };
}
