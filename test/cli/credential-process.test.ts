// `keyward credential-process` and `keyward exec` as the AWS CLI and SDK use them:
// configured in ~/.aws/config, against the AWS test server, the vault's key (and after
// `keyward rotate`, the new one) with the files untouched.
import { readFileSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAwsTestServer, type AwsTestServer } from '../support/aws-server';
import { fingerprint, removeTempDirs } from '../support/fixtures';
import { awsCallerIdentity, awsHome, keyward, sdkCallerIdentity, type AwsHome } from './aws-use-support';
import { newCliVault, userWithCredential } from './rotate-support';

let aws: AwsTestServer;
let dir: string;
let vaultEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  aws = await startAwsTestServer();
  ({ dir, env: vaultEnv } = await newCliVault());
});
afterAll(async () => {
  await aws.close();
  removeTempDirs();
});

/** A user whose key is in the vault and a profile in a throwaway HOME that uses it. */
async function profileFor(prefix: string, extraConfig = '') {
  const u = await userWithCredential(aws, dir, prefix);
  const h = awsHome({
    endpointUrl: aws.url,
    vaultEnv,
    config: `[profile work]\nregion = us-east-1\ncredential_process = keyward credential-process "${u.cred.name}"${extraConfig}\n`,
    credentials: '',
  });
  return { ...u, h };
}

const callsTo = (action: string, accessKeyId?: string) => aws.requests.filter((r) => r.action === action && r.status === 200 && (!accessKeyId || r.accessKeyId === accessKeyId)).length;

function usedEvents(credentialId: string): Array<{ details: Record<string, unknown> }> {
  const db = new Database(`${dir}/vault.sqlite`, { readonly: true });
  try {
    return (db.prepare("SELECT details FROM audit_events WHERE action = 'credential.used' AND credential_id = ?").all(credentialId) as Array<{ details: string }>).map((r) => ({
      details: JSON.parse(r.details) as Record<string, unknown>,
    }));
  } finally {
    db.close();
  }
}

describe('keyward credential-process', { timeout: 120_000 }, () => {
  it('prints exactly the JSON credential_process expects, and nothing else', async () => {
    const { h, key, cred } = await profileFor('cp-shape');
    const r = await keyward(h, ['credential-process', cred.name]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toStrictEqual({ Version: 1, AccessKeyId: key.accessKeyId, SecretAccessKey: key.secretAccessKey });
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(usedEvents(cred.id)).toEqual([{ details: { name: cred.name, tool: 'credential-process', kind: 'long-term', accessKeyId: expect.stringMatching(/^AKIA\*+/) } }]);
  });

  it('the AWS CLI and the AWS SDK authenticate with the vault key, and with the new key after keyward rotate, files untouched', async () => {
    const { h, key, cred, userName } = await profileFor('cp-rotate');
    const before = { config: fingerprint(h.config), credentials: fingerprint(h.credentials) };

    const cli = await awsCallerIdentity(h, 'work');
    expect(cli.code, cli.stderr).toBe(0);
    expect(JSON.parse(cli.stdout).Arn).toBe(aws.state.getUser(userName)!.arn);
    const sdk = await sdkCallerIdentity(h, 'work');
    expect(sdk.code, sdk.stderr).toBe(0);
    expect(JSON.parse(sdk.stdout).Arn).toBe(aws.state.getUser(userName)!.arn);
    expect(callsTo('GetCallerIdentity', key.accessKeyId)).toBe(2);

    const rot = await keyward(h, ['rotate', cred.name, '--yes', '--json'], { env: { KEYWARD_PROPAGATION_TIMEOUT_MS: '5000' } });
    expect(rot.code, rot.stderr).toBe(0);
    const newKeyId = (JSON.parse(rot.stdout) as { newAccessKeyId: string }).newAccessKeyId;
    expect(aws.state.getAccessKey(key.accessKeyId)).toBeUndefined(); // the old key is gone for good

    const cli2 = await awsCallerIdentity(h, 'work');
    expect(cli2.code, cli2.stderr).toBe(0);
    const sdk2 = await sdkCallerIdentity(h, 'work');
    expect(sdk2.code, sdk2.stderr).toBe(0);
    expect(callsTo('GetCallerIdentity', newKeyId)).toBeGreaterThanOrEqual(2);
    expect({ config: fingerprint(h.config), credentials: fingerprint(h.credentials) }).toEqual(before);
  });

  it('--session: 20 parallel calls make one STS call and share one session, which AWS accepts', async () => {
    const { h, key, cred, userName } = await profileFor('cp-burst');
    const runs = await Promise.all(Array.from({ length: 20 }, () => keyward(h, ['credential-process', cred.name, '--session'])));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);

    const outs = runs.map((r) => JSON.parse(r.stdout) as { Version: number; AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration: string });
    expect(callsTo('GetSessionToken', key.accessKeyId)).toBe(1);
    expect(new Set(outs.map((o) => o.AccessKeyId)).size).toBe(1);
    expect(outs[0]).toStrictEqual({ Version: 1, AccessKeyId: expect.stringMatching(/^ASIA/), SecretAccessKey: expect.any(String), SessionToken: expect.any(String), Expiration: expect.any(String) });
    expect(Date.parse(outs[0].Expiration) - Date.now()).toBeGreaterThan(50 * 60_000); // --duration defaults to 1h
    expect(aws.state.getSession(outs[0].AccessKeyId)?.userName).toBe(userName);
    const events = usedEvents(cred.id);
    expect(events).toHaveLength(20);
    expect(events.filter((e) => e.details.cached === false)).toHaveLength(1);
    // The vault holds the session sealed: its secret is not in the file in clear.
    expect(readFileSync(`${dir}/vault.sqlite`).includes(outs[0].SecretAccessKey)).toBe(false);

    // The AWS CLI configured with --session authenticates with the session (no new STS call).
    const s = awsHome({ endpointUrl: aws.url, vaultEnv, config: `[profile s]\nregion = us-east-1\ncredential_process = keyward credential-process "${cred.name}" --session\n`, credentials: '' });
    const cli = await awsCallerIdentity(s, 's');
    expect(cli.code, cli.stderr).toBe(0);
    expect(callsTo('GetCallerIdentity', outs[0].AccessKeyId)).toBe(1);
    expect(callsTo('GetSessionToken', key.accessKeyId)).toBe(1);
  });

  it('--session renews an expired cached session', async () => {
    const { h, key, cred } = await profileFor('cp-expiry');
    const first = await keyward(h, ['credential-process', cred.name, '--session', '--duration', '15m']);
    expect(first.code, first.stderr).toBe(0);
    // Age the cached row past its expiry (the session AWS issued is left as it is).
    const db = new Database(`${dir}/vault.sqlite`);
    db.prepare('UPDATE aws_sessions SET expires_at = ? WHERE credential_id = ?').run(Date.now() - 1000, cred.id);
    db.close();
    const second = await keyward(h, ['credential-process', cred.name, '--session', '--duration', '15m']);
    expect(second.code, second.stderr).toBe(0);
    expect(JSON.parse(second.stdout).AccessKeyId).not.toBe(JSON.parse(first.stdout).AccessKeyId);
    expect(callsTo('GetSessionToken', key.accessKeyId)).toBe(2);
    const third = await keyward(h, ['credential-process', cred.name, '--session', '--duration', '15m']);
    expect(JSON.parse(third.stdout).AccessKeyId).toBe(JSON.parse(second.stdout).AccessKeyId);
    expect(callsTo('GetSessionToken', key.accessKeyId)).toBe(2);
  });

  it('a locked vault: exit 3, one line on stderr, nothing on stdout', async () => {
    const { h, cred } = await profileFor('cp-locked');
    for (const env of [{ KEYWARD_PASSPHRASE: '' }, { KEYWARD_PASSPHRASE: 'not the passphrase at all' }]) {
      for (const args of [
        ['credential-process', cred.name],
        ['credential-process', cred.name, '--session'],
      ]) {
        const r = await keyward(h, args, { env });
        expect(r.code).toBe(3);
        expect(r.stdout).toBe('');
        expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
        expect(r.stderr).toMatch(/^keyward: Vault is locked/);
      }
    }
    // The AWS CLI shows that line and fails, rather than falling back to anything else.
    const cli = await keyward(h, ['credential-process', cred.name], { env: { KEYWARD_PASSPHRASE: '' } });
    expect(cli.code).toBe(3);
  });

  it('refuses what it cannot serve with exit 2 and one line: unknown credential, bad duration, a non-AWS credential', async () => {
    const { h, cred } = await profileFor('cp-usage');
    const cases: Array<[string[], RegExp]> = [
      [['credential-process', 'no-such-credential'], /No credential with id or name/],
      [['credential-process', cred.name, '--session', '--duration', '5m'], /between 15m and 36h/],
      [['credential-process', cred.name, '--duration', '1h'], /go with --session/],
      [['credential-process'], /Usage: keyward credential-process CRED/],
    ];
    for (const [args, message] of cases) {
      const r = await keyward(h, args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });

  it('--mfa-serial without a terminal fails with what to do; a wrong MFA serial is AWS refusing', async () => {
    const { h, cred, userName } = await profileFor('cp-mfa');
    const serial = aws.state.addMfaDevice(userName, { code: '123456' });
    // runProgram starts no terminal: the child has no /dev/tty to read the code from.
    const r = await keyward(h, ['credential-process', cred.name, '--session', '--mfa-serial', serial], { env: {} });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/asks for the MFA code on the terminal \(\/dev\/tty\), and this process has none/);
  });
});

describe('keyward exec', { timeout: 60_000 }, () => {
  let h: AwsHome;
  let keyId: string;
  let credName: string;
  beforeAll(async () => {
    const p = await profileFor('exec');
    h = p.h;
    keyId = p.key.accessKeyId;
    credName = p.cred.name;
  });

  it('sets the AWS variables for the child alone and passes its exit code through', async () => {
    const script =
      'console.log(JSON.stringify({ id: process.env.AWS_ACCESS_KEY_ID, secret: !!process.env.AWS_SECRET_ACCESS_KEY, token: process.env.AWS_SESSION_TOKEN ?? null, region: process.env.AWS_REGION, pass: process.env.KEYWARD_PASSPHRASE ?? null })); process.exit(7)';
    const r = await keyward(h, ['exec', credName, '--', process.execPath, '-e', script], { env: { AWS_SESSION_TOKEN: 'stale-token-from-the-shell' } });
    expect(r.code, r.stderr).toBe(7);
    expect(JSON.parse(r.stdout)).toEqual({ id: keyId, secret: true, token: null, region: 'us-east-1', pass: null });
  });

  it('--session: the child gets a session token; the real AWS CLI authenticates with it', async () => {
    const r = await keyward(h, ['exec', credName, '--session', '--', '/usr/bin/aws', 'sts', 'get-caller-identity', '--output', 'json', '--endpoint-url', aws.url]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).Arn).toMatch(/:user\/exec-/);
    expect(aws.requests.some((q) => q.action === 'GetCallerIdentity' && q.status === 200 && q.accessKeyId?.startsWith('ASIA'))).toBe(true);
  });

  it('forwards a signal to the child and reports it as a shell does (128 + n)', async () => {
    const { spawn } = await import('node:child_process');
    const { BIN } = await import('./aws-use-support');
    const child = spawn(
      process.execPath,
      [BIN, 'exec', credName, '--', process.execPath, '-e', "process.on('SIGTERM', () => { console.log('child got SIGTERM'); process.exit(42) }); console.log('ready'); setInterval(() => {}, 1000)"],
      {
        env: h.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    await new Promise<void>((res) => child.stdout.on('data', (d) => ((out += d), out.includes('ready') && res())));
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((res) => child.on('close', res));
    expect(out).toContain('child got SIGTERM');
    expect(code).toBe(42);
    const plain = await keyward(h, ['exec', credName, '--', '/bin/sh', '-c', 'kill -TERM $$']);
    expect(plain.code).toBe(128 + 15);
  });

  it('a command that does not exist: exit 127 and one line', async () => {
    const r = await keyward(h, ['exec', credName, '--', 'no-such-command-keyward']);
    expect(r.code).toBe(127);
    expect(r.stderr).toMatch(/command not found: no-such-command-keyward/);
  });
});
