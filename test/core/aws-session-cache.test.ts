// credential-process --session in core: the cached session is served until shortly before
// it expires, renewed after, dropped when the credential's key changes (a rotation), and a
// failed fetch is reported with what AWS said and retried by the next call.
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../electron/core/audit/log';
import { awsCredentialsFor } from '../../electron/core/aws-profiles/credential-process';
import type { FetchSession } from '../../electron/core/aws-profiles/sts-session';
import { KeywardError } from '../../electron/core/errors';
import { fakeClock } from '../support/fake-clock';
import { awsFields, newVaultWithService, removeTempDirs } from '../support/fixtures';

afterEach(() => removeTempDirs());

async function setup() {
  const { vault, service } = await newVaultWithService();
  const cred = service.add({ name: 'prod', provider: 'AWS', type: 'ACCESS_KEY', fields: awsFields(), verify: false });
  const clock = fakeClock();
  const calls: Array<{ keyId: string; duration: number }> = [];
  let fail: KeywardError | null = null;
  let delayMs = 0;
  const fetchSession: FetchSession = async (parts, req) => {
    calls.push({ keyId: parts.accessKeyId, duration: req.durationSeconds });
    if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
    if (fail) throw fail;
    return {
      accessKeyId: `ASIA${String(calls.length).padStart(16, '0')}`,
      secretAccessKey: `secret-${calls.length}`,
      sessionToken: `token-${calls.length}`,
      expiresAt: clock.now() + req.durationSeconds * 1000,
    };
  };
  const audit = new AuditLog(vault, 'cli');
  const get = () => awsCredentialsFor(vault, audit, { credential: 'prod', session: { durationSeconds: 3600 }, tool: 'credential-process' }, { clock, fetchSession });
  return { vault, service, cred, clock, calls, get, audit, failWith: (e: KeywardError | null) => (fail = e), slow: (ms: number) => (delayMs = ms) };
}

describe('the sealed session cache', () => {
  it('serves the cached session until 15 minutes before it expires, then fetches a new one', async () => {
    const { clock, calls, get } = await setup();
    const first = await get();
    expect(first.cached).toBe(false);
    expect(first.credentials.Expiration).toBe(new Date(clock.now() + 3600_000).toISOString());
    await clock.advance(44 * 60_000);
    expect((await get()).credentials.AccessKeyId).toBe(first.credentials.AccessKeyId);
    expect(calls).toHaveLength(1);
    await clock.advance(2 * 60_000); // 14 minutes left: the AWS CLI would refresh within its window
    const renewed = await get();
    expect(renewed.cached).toBe(false);
    expect(renewed.credentials.AccessKeyId).not.toBe(first.credentials.AccessKeyId);
    expect(calls).toHaveLength(2);
  });

  it('a rotated key makes the cached session stale', async () => {
    const { service, cred, calls, get } = await setup();
    await get();
    service.update({ id: cred.id, fields: { ...cred.fields, accessKeyId: awsFields().accessKeyId, secretAccessKey: awsFields().secretAccessKey } }, { verify: false });
    await get();
    expect(calls.map((c) => c.keyId)).toEqual([cred.fields.accessKeyId, service.repo.get(cred.id)!.fields.accessKeyId]);
  });

  it('a failed fetch says what AWS said, is not cached, and the next call fetches again', async () => {
    const { calls, get, failWith, audit } = await setup();
    failWith(new KeywardError('AWS_ERROR', 'AWS refused sts:GetSessionToken: InvalidClientTokenId: The security token included in the request is invalid.'));
    await expect(get()).rejects.toThrow(/InvalidClientTokenId/);
    failWith(null);
    expect((await get()).cached).toBe(false);
    expect(calls).toHaveLength(2);
    expect(audit.list({ action: 'credential.used' }).map((e) => e.details.cached)).toEqual([false]);
  });

  it('the session is sealed in the vault: its secret is not stored in clear', async () => {
    const { vault, get } = await setup();
    const s = await get();
    const row = vault.db.prepare('SELECT sealed FROM aws_sessions').get() as { sealed: Buffer };
    expect(row.sealed.includes(Buffer.from(s.credentials.SecretAccessKey))).toBe(false);
    expect(row.sealed.includes(Buffer.from(s.credentials.SessionToken!))).toBe(false);
  });

  it('callers that arrive while one fetches wait for it: one STS call; its failure is theirs too', async () => {
    const { calls, get, failWith, slow } = await setup();
    slow(150);
    const burst = await Promise.all(Array.from({ length: 10 }, () => get()));
    expect(calls).toHaveLength(1);
    expect(new Set(burst.map((b) => b.credentials.AccessKeyId)).size).toBe(1);
    expect(burst.filter((b) => !b.cached)).toHaveLength(1);

    const { calls: calls2, get: get2 } = await setup().then((x) => (x.failWith(new KeywardError('AWS_ERROR', 'AWS refused sts:GetSessionToken: AccessDenied: no')), x.slow(150), x));
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => get2()));
    expect(calls2).toHaveLength(1);
    expect(results.map((r) => r.status)).toEqual(Array(5).fill('rejected'));
    expect(results.map((r) => (r as PromiseRejectedResult).reason.message)).toEqual(Array(5).fill('AWS refused sts:GetSessionToken: AccessDenied: no'));
    failWith(null);
  });
});
