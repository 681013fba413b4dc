import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from './fixtures';

// The desktop's Import AWS profiles: the preview (a dry run), moving the keys into the
// vault, and the details naming the profile that now reads the credential. Main reads
// the files where the AWS CLI does (AWS_SHARED_CREDENTIALS_FILE / AWS_CONFIG_FILE): a
// throwaway folder here, never the machine's ~/.aws.
test('imports ~/.aws profiles and moves their keys into the vault', async ({ app, e2e }) => {
  const key = e2e.newKey();
  const dir = mkdtempSync(join(tmpdir(), 'keyward-e2e-aws-'));
  const credentials = join(dir, 'credentials');
  const config = join(dir, 'config');
  writeFileSync(credentials, `# work keys\n[work]\naws_access_key_id = ${key.accessKeyId}\naws_secret_access_key = ${key.secretAccessKey}\n`, { mode: 0o600 });
  writeFileSync(config, `[profile work]\nregion = us-east-1\nendpoint_url = ${e2e.aws.url}\n`);
  process.env.AWS_SHARED_CREDENTIALS_FILE = credentials;
  process.env.AWS_CONFIG_FILE = config;
  try {
    await app.getByRole('button', { name: 'Import AWS profiles…' }).first().click();
    const dialog = app.getByRole('dialog', { name: 'Import AWS profiles' });
    await expect(dialog.getByTestId('import-profiles')).toContainText('work will be imported');
    await dialog.getByText('What changes in the files').click();
    await expect(dialog.getByTestId('import-changes')).toContainText('+ credential_process = keyward credential-process "work"');
    expect(await app.content()).not.toContain(key.secretAccessKey);
    expect(readFileSync(credentials, 'utf8')).toContain(key.secretAccessKey); // the preview wrote nothing
    await dialog.getByRole('button', { name: 'Import and move' }).click();
    await expect(dialog).toBeHidden();

    const row = app.getByRole('row').filter({ hasText: 'work' });
    await expect(row.getByTestId('status-badge')).toHaveText('Valid', { timeout: 10_000 });
    expect(readFileSync(credentials, 'utf8')).toBe('# work keys\n');
    expect(readFileSync(config, 'utf8')).toContain('credential_process = keyward credential-process "work"');
    expect(readdirSync(dir).filter((f) => f.includes('.keyward-backup-'))).toHaveLength(2);

    await row.getByTestId('status-badge').click();
    const details = app.getByRole('region', { name: 'Credential details' });
    await expect(details.getByTestId('profiles-using')).toContainText('work reads it from the vault (credential_process)');
    await app.screenshot({ path: test.info().outputPath('aws-profiles-details.png'), fullPage: true });
  } finally {
    delete process.env.AWS_SHARED_CREDENTIALS_FILE;
    delete process.env.AWS_CONFIG_FILE;
  }
});
