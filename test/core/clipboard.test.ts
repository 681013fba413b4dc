import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KeywardCore } from '../../electron/core/app/core';
import { SecretClipboard, type ClipboardPort } from '../../electron/core/clipboard';
import { writeVaultSettings } from '../../electron/core/settings/vault-settings';
import { awsFields, removeTempDirs, tempDir } from '../support/fixtures';
import { fakeClock } from '../support/fake-clock';

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

describe('SecretClipboard', () => {
  it('clears the secret after the delay', async () => {
    const port = memoryClipboard();
    const clock = fakeClock();
    new SecretClipboard(port, clock).copy('s3cr3t-value', 15_000);
    expect(port.text).toBe('s3cr3t-value');
    await clock.advance(14_999);
    expect(port.text).toBe('s3cr3t-value');
    await clock.advance(1);
    expect(port.text).toBe('');
  });

  it('leaves the clipboard alone when the admin copied something else meanwhile', async () => {
    const port = memoryClipboard();
    const clock = fakeClock();
    new SecretClipboard(port, clock).copy('s3cr3t-value', 15_000);
    port.writeText('something the admin copied');
    await clock.advance(20_000);
    expect(port.text).toBe('something the admin copied');
  });

  it('with "never" sets no timer, yet still clears on lock', async () => {
    const port = memoryClipboard();
    const clock = fakeClock();
    const c = new SecretClipboard(port, clock);
    c.copy('s3cr3t-value', 0);
    expect(clock.pending).toBe(0);
    await clock.advance(24 * 3600_000);
    expect(port.text).toBe('s3cr3t-value');
    await c.flush();
    expect(port.text).toBe('');
  });

  it('clears at once on flush (lock, quit), but not what the admin copied since', async () => {
    const port = memoryClipboard();
    const c = new SecretClipboard(port, fakeClock());
    c.copy('s3cr3t-value', 60_000);
    await c.flush();
    expect(port.text).toBe('');
    c.copy('s3cr3t-value', 60_000);
    port.writeText('mine');
    await c.flush();
    expect(port.text).toBe('mine');
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

describe('the clipboard setting', () => {
  it('clears after the vault\'s setting (30 s by default, then as set), and "never" says 0', async () => {
    const port = memoryClipboard();
    const clock = fakeClock();
    const core = new KeywardCore({ vaultDir: join(tempDir(), 'v'), clipboard: port, clock });
    await core.init('passphrase', 'clipboard test passphrase');
    const fields = awsFields();
    core.credentials.add({ name: 'copyable', provider: 'AWS', type: 'ACCESS_KEY', fields, verify: false });
    expect(core.copySecret('copyable', 'secretAccessKey').clearsAfterSeconds).toBe(30);
    await clock.advance(30_000);
    expect(port.text).toBe('');

    writeVaultSettings(core.openVault, core.audit, { clipboardClearSeconds: 15 });
    expect(core.copySecret('copyable', 'secretAccessKey').clearsAfterSeconds).toBe(15);
    await clock.advance(15_000);
    expect(port.text).toBe('');

    writeVaultSettings(core.openVault, core.audit, { clipboardClearSeconds: 0 });
    expect(core.copySecret('copyable', 'secretAccessKey').clearsAfterSeconds).toBe(0);
    await clock.advance(3600_000);
    expect(port.text).toBe(fields.secretAccessKey);
    await core.close();
    expect(port.text).toBe('');
  });
});
