import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createKeywardCore } from '../../electron/core/app/compose';
import { createDispatcher } from '../../electron/core/app/handlers';
import { KeywardError } from '../../electron/core/errors';
import { describeForLog, fileLogger, logFilePath } from '../../electron/core/ports/file-logger';
import { checkCredential } from '../../electron/core/verification/check';
import { PROVIDER_MODULES } from '../../electron/core/providers';
import { fakeClock } from '../support/fake-clock';
import { awsFields, PASSPHRASE, removeTempDirs, tempDir } from '../support/fixtures';

afterEach(() => {
  vi.restoreAllMocks();
  removeTempDirs();
});

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('the log', () => {
  it('is written in the data folder, 0600, stamped by the clock, only once something is logged', () => {
    const dir = tempDir();
    const file = logFilePath(dir);
    const log = fileLogger(file, { clock: fakeClock('2026-03-04T05:06:07.000Z') });
    expect(log.location).toBe(join(dir, 'logs', 'keyward.log'));
    expect(existsSync(file)).toBe(false);
    log.info('started');
    expect(readFileSync(file, 'utf8')).toBe('2026-03-04T05:06:07.000Z INFO started\n');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('rotates at its size cap and keeps two older generations, no more', () => {
    const file = logFilePath(tempDir());
    const log = fileLogger(file, { maxBytes: 200 });
    for (let i = 0; i < 40; i++) log.info(`line ${String(i).padStart(2, '0')} ${'x'.repeat(40)}`);
    for (const f of [file, `${file}.1`, `${file}.2`]) expect(statSync(f).size).toBeLessThanOrEqual(200);
    expect(existsSync(`${file}.3`)).toBe(false);
    expect(readFileSync(file, 'utf8')).toContain('line 39');
    expect(readFileSync(`${file}.1`, 'utf8')).not.toContain('line 39');
  });

  it("keeps of an unexpected error its name, code and stack frames, and its message only through the caller's redaction", () => {
    const err = Object.assign(new Error(`SQLITE_CORRUPT near ${SECRET}`), { code: 'SQLITE_CORRUPT' });
    const text = describeForLog(err);
    expect(text).toMatch(/^Error \(SQLITE_CORRUPT\)\n\s+at /);
    expect(text).not.toContain(SECRET);
    expect(describeForLog(new KeywardError('VAULT_LOCKED', 'Vault is locked.'))).toBe('VAULT_LOCKED: Vault is locked.');
    const kept = describeForLog(err, (t) => t.split(SECRET).join('[redacted]'));
    expect(kept).toMatch(/^Error \(SQLITE_CORRUPT\): SQLITE_CORRUPT near \[redacted\]\n\s+at /);
  });

  it('passes every line through the redaction it is given', () => {
    const file = logFilePath(tempDir());
    fileLogger(file, { redact: (t) => t.split('hunter2').join('[redacted]') }).warn('a hunter2 b');
    expect(readFileSync(file, 'utf8')).toMatch(/WARN a \[redacted\] b\n$/);
  });

  it('keeps working (silently) when its folder cannot be written', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'logs'), 'not a folder');
    expect(() => fileLogger(logFilePath(dir)).error('x', new Error('y'))).not.toThrow();
  });
});

describe('"see the log" names the log', () => {
  it('an INTERNAL error from the dispatcher names the file the error went to, which holds no secret', async () => {
    const dir = tempDir();
    const core = createKeywardCore({ vaultDir: dir, passphrase: PASSPHRASE, actor: 'desktop' });
    await core.init('passphrase', PASSPHRASE);
    vi.spyOn(core.credentials, 'list').mockImplementation(() => {
      throw new Error(`boom ${SECRET}`);
    });
    const res = await createDispatcher(core)('credentials.list', {});
    await core.close();
    expect(res.ok).toBe(false);
    const message = res.ok ? '' : res.error.message;
    expect(message).toContain(`Details are in the log: ${logFilePath(dir)}`);
    expect(message).not.toContain('the vault was not changed');
    const logged = readFileSync(logFilePath(dir), 'utf8');
    expect(logged).toMatch(/ERROR handler credentials.list failed: Error\n\s+at /);
    expect(logged).not.toContain(SECRET);
  });

  it('a check that fails inside Keyward is UNREACHABLE and names the log it was written to', async () => {
    const file = logFilePath(tempDir());
    vi.spyOn(PROVIDER_MODULES.AWS, 'check').mockRejectedValue(new TypeError(`bug ${SECRET}`));
    const clock = fakeClock('2026-05-06T07:08:09.000Z');
    const result = await checkCredential({ provider: 'AWS', fields: awsFields() }, { secretAccessKey: SECRET }, { timeoutMs: 100, maxAttempts: 1 }, { clock, log: fileLogger(file, { clock }) });
    expect(result.status).toBe('UNREACHABLE');
    expect(result.at).toBe('2026-05-06T07:08:09.000Z');
    expect(result.error?.message).toBe(`The check failed inside Keyward before a verdict; details are in the log: ${file}.`);
    // The check knows the credential's secrets, so the log keeps the message, redacted.
    expect(readFileSync(file, 'utf8')).toMatch(/ERROR the AWS check failed inside Keyward: TypeError: bug \[redacted\]\n\s+at /);
    expect(readFileSync(file, 'utf8')).not.toContain(SECRET);
  });
});
