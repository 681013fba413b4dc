// The credential use cases: validation, events, edits, deletes, bulk verification.
// Real vault (temp dir), real crypto, real HTTP to fake providers on 127.0.0.1.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Credential, EventName, VerifyProgress } from '../../shared/contract';
import { KeywardCore } from '../../electron/core/app/core';
import { CredentialService } from '../../electron/core/credentials/service';
import { KeywardError } from '../../electron/core/errors';
import type { EventBus } from '../../electron/core/events';
import type { Vault } from '../../electron/core/vault/vault';
import { startApisixTestServer, type ApisixTestServer } from '../support/apisix-server';
import { startAwsTestServer, type AwsTestServer } from '../support/aws-server';
import { awsFields, fakeAccessKeyId, fakeSecretAccessKey, newVaultWithService, PASSPHRASE, removeTempDirs, tempDir, waitFor } from '../support/fixtures';

type Recorded = { event: EventName; payload: unknown };

let apisix: ApisixTestServer;
let aws: AwsTestServer;
let vault: Vault;
let service: CredentialService;
let events: EventBus;
let seen: Recorded[];

beforeAll(async () => {
  apisix = await startApisixTestServer();
  aws = await startAwsTestServer();
});
afterAll(async () => {
  await apisix.close();
  await aws.close();
  removeTempDirs();
});
beforeEach(async () => {
  apisix.reset();
  aws.state.reset();
  aws.faults.clear();
  aws.requests.length = 0;
  ({ vault, service, events } = await newVaultWithService({ check: { timeoutMs: 2000 } }));
  seen = [];
  events.onAny((event, payload) => seen.push({ event, payload: structuredClone(payload) }));
});
const extraServices: CredentialService[] = [];
afterEach(async () => {
  for (const s of extraServices.splice(0)) {
    s.abortAll();
    await s.idle();
  }
  service.abortAll();
  await service.idle();
  vault.close();
});

function changed(): Credential[] {
  return seen.filter((e) => e.event === 'credential.changed').map((e) => e.payload as Credential);
}
function progressOf(runId: string): VerifyProgress[] {
  return seen
    .filter((e) => e.event === 'verify.progress')
    .map((e) => e.payload as VerifyProgress)
    .filter((p) => p.runId === runId);
}

let n = 0;
function addApisix(fields: Record<string, string> = {}, verify = false, name = `gw-${++n}`): Credential {
  return service.add({ name, provider: 'APISIX', type: 'ADMIN_API_KEY', fields: { endpoint: apisix.url, adminApiKey: apisix.adminKey, ...fields }, verify });
}
function addAws(fields: Record<string, string>, name = `aws-${++n}`, verify = false): Credential {
  return service.add({ name, provider: 'AWS', type: 'ACCESS_KEY', fields, verify });
}
function expectKeywardError(fn: () => unknown, code: string, message?: RegExp | string): KeywardError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught, 'expected a KeywardError').toBeInstanceOf(KeywardError);
  const err = caught as KeywardError;
  expect(err.code).toBe(code);
  if (message) expect(err.message).toMatch(message);
  return err;
}

describe('adding a credential', () => {
  it.each([
    ['a short key id', { accessKeyId: 'AKIA1234' }, 'Access Key ID is 20 characters; this one has 8.'],
    ['a lower-case key id', { accessKeyId: 'akiaiosfodnn7example' }, 'Access Key ID is upper-case letters and digits only.'],
    ['a temporary (ASIA) key id', { accessKeyId: 'ASIAIOSFODNN7EXAMPLE' }, 'ASIA… keys are temporary session keys'],
    ['a key id that is not an IAM user key', { accessKeyId: 'AIDAIOSFODNN7EXAMPLE' }, 'An IAM user access key ID starts with AKIA.'],
    ['a key id with a space', { accessKeyId: 'AKIA IOSFODNN7EXAMPL' }, 'Access Key ID must not contain spaces.'],
    ['a 39-character secret', { secretAccessKey: 'a'.repeat(39) }, 'Secret Access Key is 40 characters; this one has 39.'],
    ['a secret with a line break', { secretAccessKey: `${'a'.repeat(20)}\n${'a'.repeat(19)}` }, 'Secret Access Key must not contain spaces or line breaks.'],
    ['an unknown region', { region: 'mars-north-1' }, 'Unknown AWS region "mars-north-1". Pick one such as us-east-1.'],
    ['an endpoint with a password in it', { endpointUrl: 'https://admin:pw@sts.example.com' }, 'Do not put a user name or password in the URL.'],
    ['an endpoint that is not http(s)', { endpointUrl: 'ftp://sts.example.com' }, 'The URL must start with http:// or https://, not ftp://.'],
    ['a field AWS does not have', { password: 'x' }, 'AWS credentials have no field "password".'],
  ])('refuses %s and says why', (_what, override, message) => {
    expectKeywardError(() => addAws(awsFields(override as Record<string, string>)), 'INVALID_INPUT', message);
    expect(service.list()).toEqual([]);
    expect(seen).toEqual([]);
  });

  it('lists every problem at once', () => {
    const err = expectKeywardError(() => addAws({ accessKeyId: 'AKIA1', secretAccessKey: 'short', region: 'nowhere' }, '  '), 'INVALID_INPUT');
    expect(err.message).toContain('Name is required.');
    expect(err.message).toContain('Access Key ID is 20 characters; this one has 5.');
    expect(err.message).toContain('Secret Access Key is 40 characters; this one has 5.');
    expect(err.message).toContain('Unknown AWS region "nowhere"');
  });

  it('refuses a type the provider does not have', () => {
    expectKeywardError(
      () => service.add({ name: 'x', provider: 'AWS', type: 'ADMIN_API_KEY', fields: awsFields(), verify: false }),
      'INVALID_INPUT',
      'AWS credentials have type ACCESS_KEY, not ADMIN_API_KEY.',
    );
  });

  it('refuses a duplicate name (after trimming) with CONFLICT and keeps the first', () => {
    const first = addAws(awsFields(), 'prod');
    expectKeywardError(() => addAws(awsFields(), 'prod'), 'CONFLICT', 'A credential named "prod" already exists.');
    expectKeywardError(() => addAws(awsFields(), '  prod '), 'CONFLICT');
    expect(service.list().map((c) => c.id)).toEqual([first.id]);
  });

  it('stores public fields, names the secret fields, and fills the default region', () => {
    const fields = awsFields();
    delete fields.region;
    const cred = addAws(fields, '  billing  ');
    expect(cred).toMatchObject({
      name: 'billing',
      provider: 'AWS',
      type: 'ACCESS_KEY',
      status: 'UNVERIFIED',
      fields: { accessKeyId: fields.accessKeyId, region: 'us-east-1' },
      secretFields: ['secretAccessKey'],
      identity: null,
      error: null,
      diagnosis: null,
      lastVerifiedAt: null,
      verifying: false,
    });
    expect(service.repo.secretsOf(cred.id)).toEqual({ secretAccessKey: fields.secretAccessKey });
    expect(service.get('billing').id).toBe(cred.id);
  });

  it('emits credential.changed as UNVERIFIED, then again as VALID once the automatic check is done', async () => {
    const core = new KeywardCore({ vaultDir: tempDir(), check: { timeoutMs: 2000 } });
    await core.init('passphrase', PASSPHRASE);
    const coreEvents: Recorded[] = [];
    core.events.onAny((event, payload) => coreEvents.push({ event, payload: structuredClone(payload) }));
    try {
      const added = core.credentials.add({
        name: 'gateway',
        provider: 'APISIX',
        type: 'ADMIN_API_KEY',
        fields: { endpoint: apisix.url, adminApiKey: apisix.adminKey },
        verify: true,
      });
      expect(added.status).toBe('UNVERIFIED');
      expect(added.verifying).toBe(true);
      await waitFor(() => coreEvents.some((e) => (e.payload as Credential).status === 'VALID'), 'a VALID event');
      const statuses = coreEvents.map((e) => [e.event, (e.payload as Credential).status, (e.payload as Credential).verifying]);
      expect(statuses[0]).toEqual(['credential.changed', 'UNVERIFIED', false]);
      expect(statuses.at(-1)).toEqual(['credential.changed', 'VALID', false]);
      expect(coreEvents.every((e) => (e.payload as Credential).id === added.id)).toBe(true);
      expect(core.credentials.get(added.id)).toMatchObject({ status: 'VALID', verifying: false });
      expect(apisix.requests).toHaveLength(1);
    } finally {
      await core.close();
    }
  });

  it('does not check when asked not to', async () => {
    addApisix({}, false);
    await new Promise((r) => setTimeout(r, 50));
    expect(apisix.requests).toHaveLength(0);
    expect(changed().map((c) => c.status)).toEqual(['UNVERIFIED']);
  });
});

describe('editing a credential', () => {
  it('keeps the stored secret when the secret field is sent empty', async () => {
    const cred = addApisix();
    const updated = service.update({ id: cred.id, name: 'renamed', fields: { adminApiKey: '' } }, { verify: false });
    expect(updated.name).toBe('renamed');
    expect(updated.secretFields).toEqual(['adminApiKey']);
    expect(service.repo.secretsOf(cred.id)).toEqual({ adminApiKey: apisix.adminKey });
    expect((await service.verify(cred.id)).status).toBe('VALID');
  });

  it('keeps the stored secret when only a public field changes', async () => {
    const user = aws.state.createUser('ci');
    const key = aws.state.createAccessKey(user.userName);
    const cred = addAws({ ...key, region: 'us-east-1', endpointUrl: 'http://127.0.0.1:9' });
    service.update({ id: cred.id, fields: { endpointUrl: aws.url, region: 'eu-west-1' } }, { verify: false });
    const checked = await service.verify(cred.id);
    expect(checked.status).toBe('VALID');
    expect(checked.identity?.arn).toBe(user.arn);
    expect(checked.fields).toEqual({ accessKeyId: key.accessKeyId, region: 'eu-west-1', endpointUrl: aws.url });
  });

  it('replaces the secret when a new one is given, and the automatic check finds it wrong', async () => {
    const cred = addApisix();
    expect((await service.verify(cred.id)).status).toBe('VALID');
    seen.length = 0;
    const updated = service.update({ id: cred.id, fields: { adminApiKey: 'a-wrong-key' } });
    expect(updated.status).toBe('UNVERIFIED');
    await waitFor(() => changed().some((c) => c.status === 'INVALID'), 'an INVALID event');
    expect(service.repo.secretsOf(cred.id)).toEqual({ adminApiKey: 'a-wrong-key' });
    expect(service.get(cred.id).error?.code).toBe('Unauthorized');
  });

  it('clears an optional public field sent empty', () => {
    const cred = addAws(awsFields({ endpointUrl: 'https://sts.us-gov-west-1.amazonaws.com' }));
    const updated = service.update({ id: cred.id, fields: { endpointUrl: '' } }, { verify: false });
    expect(updated.fields.endpointUrl).toBeUndefined();
  });

  it('refuses a name another credential has (CONFLICT), but accepts its own', () => {
    addAws(awsFields(), 'prod');
    const other = addAws(awsFields(), 'staging');
    expectKeywardError(() => service.update({ id: other.id, name: 'prod' }, { verify: false }), 'CONFLICT', 'A credential named "prod" already exists.');
    expect(service.get(other.id).name).toBe('staging');
    expect(service.update({ id: other.id, name: 'staging' }, { verify: false }).name).toBe('staging');
  });

  it('refuses invalid fields and leaves the credential as it was', () => {
    const cred = addAws(awsFields(), 'prod');
    expectKeywardError(() => service.update({ id: cred.id, fields: { region: 'atlantis-1' } }, { verify: false }), 'INVALID_INPUT', /Unknown AWS region/);
    expectKeywardError(() => service.update({ id: cred.id, name: '' }, { verify: false }), 'INVALID_INPUT', 'Name is required.');
    expect(service.get(cred.id).fields.region).toBe('us-east-1');
  });

  it('refuses an unknown id with NOT_FOUND', () => {
    expectKeywardError(() => service.update({ id: 'no-such-id', name: 'x' }), 'NOT_FOUND');
  });

  it('does not record the result of a check that started before the edit', async () => {
    apisix.setFault({ delayMs: 300, times: 1 });
    const cred = addApisix();
    const check = service.verify(cred.id);
    await waitFor(() => apisix.inFlight === 1, 'the check to reach the server');
    service.update({ id: cred.id, name: 'edited' }, { verify: false });
    await check;
    expect(service.get(cred.id)).toMatchObject({ name: 'edited', status: 'UNVERIFIED', lastVerifiedAt: null });
  });
});

describe('deleting a credential', () => {
  it('emits credential.deleted and forgets it', () => {
    const cred = addApisix();
    seen.length = 0;
    expect(service.delete(cred.name)).toEqual({ id: cred.id, deleted: true, resources: [] });
    expect(seen).toEqual([{ event: 'credential.deleted', payload: { id: cred.id } }]);
    expectKeywardError(() => service.get(cred.id), 'NOT_FOUND');
    expect(service.list()).toEqual([]);
  });

  it('refuses an unknown id with NOT_FOUND and emits nothing', () => {
    expectKeywardError(() => service.delete('nope'), 'NOT_FOUND');
    expect(seen).toEqual([]);
  });

  it('is not brought back by a check that was running', async () => {
    apisix.setFault({ delayMs: 300, times: 1 });
    const cred = addApisix();
    const check = service.verify(cred.id);
    await waitFor(() => apisix.inFlight === 1, 'the check to reach the server');
    service.delete(cred.id);
    seen.length = 0;
    await check;
    expect(service.list()).toEqual([]);
    expect(changed()).toEqual([]);
  });
});

describe('verifying one credential', () => {
  it('joins a check already running instead of starting a second one', async () => {
    apisix.setFault({ delayMs: 150, times: 1 });
    const cred = addApisix();
    const [a, b] = await Promise.all([service.verify(cred.id), service.verify(cred.name)]);
    expect(a.status).toBe('VALID');
    expect(b.status).toBe('VALID');
    expect(apisix.requests).toHaveLength(1);
  });

  it('shows verifying: true while the check runs and false after', async () => {
    apisix.setFault({ delayMs: 150, times: 1 });
    const cred = addApisix();
    const check = service.verify(cred.id);
    expect(service.get(cred.id).verifying).toBe(true);
    expect(service.list()[0].verifying).toBe(true);
    await check;
    expect(service.get(cred.id).verifying).toBe(false);
  });
});

describe('verifying many credentials', () => {
  it('never runs more than the given concurrency at once, and reports progress to the end', async () => {
    for (let i = 0; i < 20; i++) addApisix();
    apisix.setFault({ delayMs: 60 });
    const run = service.verifyMany('all', 4);
    expect(run.total).toBe(20);
    const results = await run.done;
    expect(results).toHaveLength(20);
    expect(results.every((c) => c.status === 'VALID')).toBe(true);
    expect(apisix.requests).toHaveLength(20);
    expect(apisix.maxInFlight).toBe(4);

    const progress = progressOf(run.runId);
    expect(progress[0]).toMatchObject({ done: 0, total: 20, finished: false });
    const last = progress.at(-1)!;
    expect(last).toEqual({ runId: run.runId, done: 20, total: 20, valid: 20, invalid: 0, unreachable: 0, finished: true, cancelled: false });
    expect(progress.filter((p) => p.finished)).toHaveLength(1);
    for (let i = 1; i < progress.length; i++) expect(progress[i].done).toBeGreaterThanOrEqual(progress[i - 1].done);
  });

  it('counts each verdict, against the AWS test server, with bounded concurrency', async () => {
    aws.state.createUser('fleet');
    const good = aws.state.createAccessKey('fleet');
    for (let i = 0; i < 10; i++) addAws({ ...good, region: 'us-east-1', endpointUrl: aws.url });
    for (let i = 0; i < 5; i++) addAws({ accessKeyId: good.accessKeyId, secretAccessKey: fakeSecretAccessKey(), region: 'us-east-1', endpointUrl: aws.url });
    for (let i = 0; i < 5; i++) addAws({ accessKeyId: fakeAccessKeyId(), secretAccessKey: fakeSecretAccessKey(), region: 'us-east-1', endpointUrl: aws.url });
    aws.faults.add({ kind: 'latency', latencyMs: 100 });
    const started = Date.now();
    const run = service.verifyMany('all', 4);
    await run.done;
    const elapsed = Date.now() - started;
    expect(progressOf(run.runId).at(-1)).toMatchObject({ done: 20, total: 20, valid: 10, invalid: 10, unreachable: 0, finished: true });
    // 20 checks of ≥100 ms, 4 at a time: at least 5 rounds, and far less than one at a time.
    expect(elapsed).toBeGreaterThanOrEqual(480);
    expect(elapsed).toBeLessThan(2000);
    // Each pair of overlapping windows of 5 consecutive requests can't all start within one latency period.
    const starts = aws.requests
      .filter((r) => r.action === 'GetCallerIdentity')
      .map((r) => r.at.getTime())
      .sort((a, b) => a - b);
    expect(starts).toHaveLength(20);
    for (let i = 4; i < starts.length; i++) expect(starts[i] - starts[i - 4], `request ${i} started while 4 were running`).toBeGreaterThanOrEqual(90);
  });

  it('stores each result of a sweep, with its own identity and audit event, before its event says so', async () => {
    // The results that land together are written in one transaction: each must still be in
    // the vault when its credential.changed arrives, and belong to its own key.
    const users = Array.from({ length: 12 }, (_, i) => `sweeper-${i}`);
    const byId = new Map<string, string>();
    for (const u of users) {
      aws.state.createUser(u);
      byId.set(addAws({ ...aws.state.createAccessKey(u), region: 'us-east-1', endpointUrl: aws.url }).id, u);
    }
    const statusInVault = vault.db.prepare('SELECT status FROM credentials WHERE id = ?').pluck();
    const storedWhenTold: string[] = [];
    events.onAny((event, payload) => {
      const c = payload as Credential;
      if (event === 'credential.changed' && c.status === 'VALID') storedWhenTold.push(statusInVault.get(c.id) as string);
    });
    const run = service.verifyMany('all', 12);
    const results = await run.done;
    expect(results).toHaveLength(12);
    expect(storedWhenTold).toEqual(Array(12).fill('VALID'));
    for (const c of results) expect(c.identity?.arn).toMatch(new RegExp(`:user/${byId.get(c.id)}$`));
    const verified = vault.db.prepare("SELECT credential_id FROM audit_events WHERE action = 'credential.verified'").pluck().all() as string[];
    expect(new Set(verified)).toEqual(new Set(byId.keys()));
    expect(verified).toHaveLength(12);
  });

  it('stops starting checks when cancelled, and leaves unchecked credentials as they were', async () => {
    for (let i = 0; i < 20; i++) addApisix();
    apisix.setFault({ delayMs: 100 });
    const run = service.verifyMany('all', 2);
    await waitFor(() => progressOf(run.runId).some((p) => p.done >= 2), 'two checks done');
    expect(service.cancel(run.runId)).toBe(true);
    await run.done;
    const last = progressOf(run.runId).at(-1)!;
    expect(last).toMatchObject({ finished: true, cancelled: true, total: 20 });
    expect(last.done).toBeLessThan(20);
    expect(last.done).toBe(last.valid);
    expect(apisix.requests.length).toBeLessThan(20);
    // A cancelled check is not a verdict: nothing was marked UNREACHABLE.
    const statuses = service.list().map((c) => c.status);
    expect(statuses.filter((s) => s === 'VALID')).toHaveLength(last.valid);
    expect(statuses.filter((s) => s !== 'VALID').every((s) => s === 'UNVERIFIED')).toBe(true);
    expect(service.list().every((c) => !c.verifying)).toBe(true);
    // The run is over: cancelling again does nothing.
    expect(service.cancel(run.runId)).toBe(false);
  });

  it('records nothing for a check cancelled while it waits to retry', async () => {
    const patient = new CredentialService(vault, events, { check: { timeoutMs: 10_000, maxAttempts: 8 } });
    extraServices.push(patient);
    for (let i = 0; i < 3; i++) addApisix();
    apisix.setFault({ status: 503 });
    // Backoff is random (full jitter); pin it near its maximum so the pause is long enough to cancel in.
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.99);
    try {
      const run = patient.verifyMany('all', 1);
      // Two 503s answered and nothing at the server: the first check is in its ~400 ms backoff pause.
      await waitFor(() => apisix.requests.filter((r) => r.status === 503).length >= 2 && apisix.inFlight === 0, 'the first check to be retrying');
      await new Promise((r) => setTimeout(r, 50));
      expect(apisix.requests.filter((r) => r.status === 503)).toHaveLength(2);
      expect(patient.cancel(run.runId)).toBe(true);
      await run.done;
      expect(progressOf(run.runId).at(-1)).toMatchObject({ finished: true, cancelled: true, done: 0, unreachable: 0 });
    } finally {
      random.mockRestore();
    }
    expect(service.list().map((c) => c.status)).toEqual(['UNVERIFIED', 'UNVERIFIED', 'UNVERIFIED']);
  });

  it('says false when cancelling a run that does not exist', () => {
    expect(service.cancel('no-such-run')).toBe(false);
  });

  it('checks only the given credentials, and refuses an unknown one before starting', async () => {
    const a = addApisix();
    addApisix();
    expectKeywardError(() => service.verifyMany([a.id, 'missing']), 'NOT_FOUND');
    const run = service.verifyMany([a.name]);
    expect(run.total).toBe(1);
    await run.done;
    expect(apisix.requests).toHaveLength(1);
  });

  it('finishes at once with an empty vault', async () => {
    const run = service.verifyMany('all', 4);
    expect(await run.done).toEqual([]);
    expect(progressOf(run.runId).at(-1)).toMatchObject({ done: 0, total: 0, finished: true, cancelled: false });
  });
});

describe('secrets never leave the service', () => {
  it('does not put a secret value in any event, list() or get(), whatever happened', async () => {
    aws.state.createUser('ops');
    const good = aws.state.createAccessKey('ops');
    const wrongSecret = fakeSecretAccessKey();
    const newApisixKey = 'rotated-admin-key-5f2b9c';
    const secrets = [good.secretAccessKey, wrongSecret, apisix.adminKey, newApisixKey];

    const ok = addAws({ ...good, region: 'us-east-1', endpointUrl: aws.url }, 'ok', true);
    addAws({ accessKeyId: good.accessKeyId, secretAccessKey: wrongSecret, region: 'us-east-1', endpointUrl: aws.url }, 'bad', true);
    const gw = addApisix({}, true);
    await service.idle();
    service.update({ id: gw.id, fields: { adminApiKey: newApisixKey } });
    await service.idle();
    const run = service.verifyMany('all', 2);
    await run.done;
    const outputs = [service.list(), service.get(ok.id), service.get('bad'), service.get(gw.id)];
    service.delete(ok.id);

    expect(changed().map((c) => c.status)).toEqual(expect.arrayContaining(['VALID', 'INVALID']));
    const text = JSON.stringify({ seen, outputs });
    for (const secret of secrets) {
      for (const form of [secret, Buffer.from(secret).toString('base64')]) {
        expect(text.includes(form), `a secret (${secret.slice(0, 4)}…) appeared in output`).toBe(false);
      }
    }
  });
});
