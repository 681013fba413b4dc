import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KeywardCore } from '../../electron/core/app/core';
import { SecretClipboard, type ClipboardPort } from '../../electron/core/clipboard';
import { awsFields, removeTempDirs, tempDir } from '../support/fixtures';

// Secrets leave the vault for the clipboard only from core, on the admin's request, and
// are cleared after the delay unless the admin copied something else meanwhile.

afterEach(() => removeTempDirs());

function memoryClipboard(): ClipboardPort & { text: string } {
  return {
    text: '',
    writeText(t) {
      this.text = t;
    },
    readText() {
      return this.text;
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('SecretClipboard', () => {
  it('clears the secret after the delay', async () => {
    const port = memoryClipboard();
    new SecretClipboard(port, 40).copy('s3cr3t-value');
    expect(port.text).toBe('s3cr3t-value');
    await sleep(120);
    expect(port.text).toBe('');
  });

  it('leaves the clipboard alone when the admin copied something else meanwhile', async () => {
    const port = memoryClipboard();
    new SecretClipboard(port, 40).copy('s3cr3t-value');
    port.writeText('something the admin copied');
    await sleep(120);
    expect(port.text).toBe('something the admin copied');
  });

  it('clears at once on flush (lock, quit)', () => {
    const port = memoryClipboard();
    const c = new SecretClipboard(port, 60_000);
    c.copy('s3cr3t-value');
    c.flush();
    expect(port.text).toBe('');
  });
});

describe('KeywardCore.copySecret', () => {
  it('copies the secret, records secret.copied without the value, and clears on close', async () => {
    const port = memoryClipboard();
    const core = new KeywardCore({ vaultDir: join(tempDir(), 'v'), clipboard: port, clipboardClearMs: 60_000 });
    await core.init('passphrase', 'clipboard test passphrase');
    const fields = awsFields();
    const c = core.credentials.add({ name: 'copyable', provider: 'AWS', type: 'ACCESS_KEY', fields, verify: false });
    expect(core.copySecret('copyable', 'secretAccessKey')).toEqual({ copied: true, clearsAfterSeconds: 60 });
    expect(port.text).toBe(fields.secretAccessKey);
    const [event] = core.audit.list({ action: 'secret.copied' });
    expect(event).toMatchObject({ credentialId: c.id, details: { name: 'copyable', field: 'secretAccessKey' } });
    expect(JSON.stringify(core.audit.list({}))).not.toContain(fields.secretAccessKey);
    expect(() => core.copySecret('copyable', 'nope')).toThrow(/no stored secret "nope"/);
    await core.close();
    expect(port.text).toBe('');
  });

  it('is refused where there is no clipboard (the CLI)', async () => {
    const core = new KeywardCore({ vaultDir: join(tempDir(), 'v') });
    await core.init('passphrase', 'clipboard test passphrase');
    core.credentials.add({ name: 'x', provider: 'AWS', type: 'ACCESS_KEY', fields: awsFields(), verify: false });
    expect(() => core.copySecret('x', 'secretAccessKey')).toThrow(/desktop app only/);
    await core.close();
  });
});
