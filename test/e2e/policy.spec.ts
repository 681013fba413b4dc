import { test, expect } from './fixtures';

test('the IAM Policy page shows the least-privilege policy and copies it', async ({ app, e2e, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const key = e2e.newKey();
  const c = e2e.addKey('Prod', key);
  await e2e.harness.core.credentials.verify(c.id);
  e2e.harness.core.resources.add({ credential: c.id, groupId: 'sg-0123456789abcdef0' });
  await app.goto(`${e2e.harness.url}#/policy`);
  const json = app.getByTestId('policy-json');
  await expect(json).toContainText('"Version": "2012-10-17"');
  await expect(json).toContainText('arn:aws:ec2:us-east-1:123456789012:security-group/sg-0123456789abcdef0');
  await expect(json).toContainText('ec2:DescribeSecurityGroups');
  await expect(json).not.toContainText('iam:CreateAccessKey');
  await app.getByLabel('Include access-key rotation (the credential rotates itself)').check();
  await expect(json).toContainText('arn:aws:iam::123456789012:user/${aws:username}');
  await app.getByRole('button', { name: 'Copy' }).click();
  await expect(app.getByRole('button', { name: 'Copied' })).toBeVisible();
  const copied = await app.evaluate(() => navigator.clipboard.readText());
  const doc = JSON.parse(copied) as { Statement: Array<{ Sid: string }> };
  expect(doc.Statement.map((s) => s.Sid)).toEqual(['ManageIngressOnRegisteredGroups', 'DescribeSecurityGroups', 'VerifyIdentity', 'RotateOwnAccessKeys']);
  const download = app.waitForEvent('download');
  await app.getByRole('button', { name: 'Save…' }).click();
  expect((await download).suggestedFilename()).toBe('keyward-policy-all.json');
  // The next step is on the page: where to attach it, that IAM takes minutes, and Verify again.
  const next = app.getByRole('region', { name: 'Next steps' });
  await expect(next).toContainText('Create inline policy');
  await expect(next).toContainText('a few minutes');
  e2e.aws.state.addSecurityGroup({ groupId: 'sg-0123456789abcdef0', region: 'us-east-1' });
  await next.getByRole('button', { name: 'Verify again' }).click();
  await expect(app.getByRole('status').filter({ hasText: '1 of 1 credential Valid; 1 of 1 resource Valid.' })).toBeVisible();
  await app.screenshot({ path: test.info().outputPath('policy.png'), fullPage: true });
});
