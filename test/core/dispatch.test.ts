// The single entry for every IPC invoke: request validation, errors as values, and
// response validation (nothing undeclared — like a secret — goes back out).
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES, type Envelope } from '../../shared/contract';
import { KeywardCore } from '../../electron/core/app/core';
import { createDispatcher, createHandlers } from '../../electron/core/app/handlers';
import { KeywardError } from '../../electron/core/errors';
import { Vault } from '../../electron/core/vault/vault';
import { awsFields, fastProvider, PASSPHRASE, removeTempDirs, tempDir } from '../support/fixtures';

let unlockedDir: string;
const cores: KeywardCore[] = [];

/** A core over an existing (fast-KDF) passphrase vault, unlocked through start(). */
async function unlockedCore(): Promise<KeywardCore> {
  const core = new KeywardCore({ vaultDir: unlockedDir, passphrase: PASSPHRASE, check: { timeoutMs: 500, maxAttempts: 1 } });
  cores.push(core);
  expect((await core.start()).state).toBe('UNLOCKED');
  return core;
}
function emptyCore(): KeywardCore {
  const core = new KeywardCore({ vaultDir: tempDir() });
  cores.push(core);
  return core;
}
function failure(env: Envelope<unknown>) {
  expect(env.ok).toBe(false);
  return (env as Extract<Envelope<unknown>, { ok: false }>).error;
}
function success<T>(env: Envelope<unknown>): T {
  expect(env, JSON.stringify(env)).toMatchObject({ ok: true });
  return (env as Extract<Envelope<unknown>, { ok: true }>).data as T;
}

beforeAll(async () => {
  unlockedDir = tempDir();
  (await Vault.init(unlockedDir, fastProvider())).close();
});
afterEach(async () => {
  for (const c of cores.splice(0)) await c.close();
  vi.restoreAllMocks();
});
afterAll(() => removeTempDirs());

describe('the IPC dispatcher', () => {
  it('has a handler for every channel of the contract, and nothing else', () => {
    expect(Object.keys(createHandlers(emptyCore())).sort()).toEqual([...CHANNEL_NAMES].sort());
  });

  it('refuses an unknown channel with INVALID_INPUT', async () => {
    const dispatch = createDispatcher(emptyCore());
    expect(failure(await dispatch('vault.destroy', {}))).toEqual({ code: 'INVALID_INPUT', message: 'Unknown channel "vault.destroy".' });
    // Inherited object keys are not channels either.
    expect(failure(await dispatch('constructor', {})).code).toBe('INVALID_INPUT');
    expect(failure(await dispatch('__proto__', {})).code).toBe('INVALID_INPUT');
  });

  it('refuses a request with a missing field, naming its path', async () => {
    const dispatch = createDispatcher(await unlockedCore());
    const err = failure(await dispatch('credentials.get', {}));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toMatch(/^Invalid request for credentials\.get: id: /);
  });

  it('names nested paths and every problem', async () => {
    const dispatch = createDispatcher(await unlockedCore());
    const err = failure(await dispatch('credentials.add', { name: 'x', provider: 'ORACLE', type: 'ACCESS_KEY', fields: { accessKeyId: 42 } }));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toContain('provider: ');
    expect(err.message).toContain('fields.accessKeyId: ');
  });

  it('refuses a passphrase shorter than 12 characters at the boundary', async () => {
    const core = emptyCore();
    const dispatch = createDispatcher(core);
    const err = failure(await dispatch('vault.init', { keyProvider: 'passphrase', passphrase: 'short' }));
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toContain('passphrase: ');
    expect(core.status().state).toBe('NOT_INITIALIZED');
  });

  it('refuses a passphrase vault without a passphrase', async () => {
    const dispatch = createDispatcher(emptyCore());
    expect(failure(await dispatch('vault.init', { keyProvider: 'passphrase' }))).toEqual({
      code: 'INVALID_INPUT',
      message: 'Choose a passphrase of at least 12 characters.',
    });
  });

  it('treats a missing request body as an empty object', async () => {
    const dispatch = createDispatcher(emptyCore());
    expect(success<{ state: string }>(await dispatch('vault.status', undefined)).state).toBe('NOT_INITIALIZED');
  });

  it('returns a handler’s KeywardError as { ok: false, error } with its code and message', async () => {
    const dispatch = createDispatcher(await unlockedCore());
    expect(await dispatch('credentials.get', { id: 'no-such-credential' })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'No credential with id or name "no-such-credential". List them with `keyward list`.' },
    });
  });

  it('answers VAULT_NOT_INITIALIZED for credentials before a vault exists', async () => {
    const dispatch = createDispatcher(emptyCore());
    expect(failure(await dispatch('credentials.list', {})).code).toBe('VAULT_NOT_INITIALIZED');
  });

  it('answers VAULT_LOCKED for credentials while the vault is locked, and a wrong passphrase says so', async () => {
    const core = new KeywardCore({ vaultDir: unlockedDir });
    cores.push(core);
    expect(await core.start()).toMatchObject({ state: 'LOCKED', keyProvider: 'passphrase' });
    const dispatch = createDispatcher(core);
    expect(failure(await dispatch('credentials.list', {})).code).toBe('VAULT_LOCKED');
    const wrong = failure(await dispatch('vault.unlock', { passphrase: 'definitely not it' }));
    expect(wrong.code).toBe('VAULT_LOCKED');
    expect(wrong.message).toMatch(/passphrase is wrong/);
    expect(success<{ state: string }>(await dispatch('vault.unlock', { passphrase: PASSPHRASE })).state).toBe('UNLOCKED');
    expect(success<unknown[]>(await dispatch('credentials.list', {}))).toEqual(expect.any(Array));
  });

  it('turns any other error into INTERNAL without its message, and logs the original', async () => {
    const core = await unlockedCore();
    const log = vi.fn();
    const boom = new Error('SQLITE_CORRUPT at /home/admin/secret-path wJalrXUtnFEMI/K7MDENG');
    vi.spyOn(core.credentials, 'list').mockImplementation(() => {
      throw boom;
    });
    const err = failure(await createDispatcher(core, log)('credentials.list', {}));
    expect(err.code).toBe('INTERNAL');
    expect(err.message).not.toContain('SQLITE_CORRUPT');
    expect(err.message).not.toContain('wJalrXUtnFEMI');
    expect(err.message).toMatch(/unexpected error/);
    expect(log).toHaveBeenCalledWith('handler credentials.list failed', boom);
  });

  it('does not log KeywardErrors as failures', async () => {
    const log = vi.fn();
    await createDispatcher(await unlockedCore(), log)('credentials.get', { id: 'missing' });
    expect(log).not.toHaveBeenCalled();
  });

  it('turns an async rejection into an error value too', async () => {
    const core = await unlockedCore();
    vi.spyOn(core.credentials, 'verify').mockRejectedValue(new KeywardError('CANCELLED', 'The check was cancelled.'));
    expect(failure(await createDispatcher(core)('credentials.verify', { id: 'x' }))).toEqual({ code: 'CANCELLED', message: 'The check was cancelled.' });
  });

  it('validates responses: a response that does not fit the contract is INTERNAL', async () => {
    const core = emptyCore();
    vi.spyOn(core, 'status').mockReturnValue({ state: 'HALF_OPEN' } as never);
    const log = vi.fn();
    const err = failure(await createDispatcher(core, log)('vault.status', {}));
    expect(err.code).toBe('INTERNAL');
    expect(log).toHaveBeenCalledOnce();
  });

  it('validates responses: fields the contract does not declare are stripped, so a secret cannot slip out', async () => {
    const core = await unlockedCore();
    const fields = awsFields({ endpointUrl: 'http://127.0.0.1:9' });
    const cred = core.credentials.add({ name: 'prod', provider: 'AWS', type: 'ACCESS_KEY', fields, verify: false });
    const real = core.credentials.get.bind(core.credentials);
    vi.spyOn(core.credentials, 'get').mockImplementation((id) => ({ ...real(id), secretAccessKey: fields.secretAccessKey }) as never);
    const data = success<Record<string, unknown>>(await createDispatcher(core)('credentials.get', { id: cred.id }));
    expect(data.id).toBe(cred.id);
    expect(data).not.toHaveProperty('secretAccessKey');
    expect(JSON.stringify(data)).not.toContain(fields.secretAccessKey);
  });

  it('runs a whole flow over the contract: add, list, verify, delete — no secret in any answer', async () => {
    const dispatch = createDispatcher(await unlockedCore());
    const fields = awsFields({ endpointUrl: 'http://127.0.0.1:9' });
    const added = success<{ id: string; status: string; secretFields: string[] }>(await dispatch('credentials.add', { name: 'flow', provider: 'AWS', type: 'ACCESS_KEY', fields, verify: false }));
    expect(added).toMatchObject({ status: 'UNVERIFIED', secretFields: ['secretAccessKey'] });
    const listed = success<unknown[]>(await dispatch('credentials.list', {}));
    const verified = success<{ status: string }>(await dispatch('credentials.verify', { id: added.id }));
    expect(verified.status).toBe('UNREACHABLE');
    expect(success(await dispatch('credentials.delete', { id: added.id }))).toEqual({ id: added.id, deleted: true, resources: [] });
    expect(JSON.stringify([added, listed, verified])).not.toContain(fields.secretAccessKey);
  });

  it('starts a bulk run and cancels it through the contract', async () => {
    const dispatch = createDispatcher(await unlockedCore());
    const run = success<{ runId: string; total: number }>(await dispatch('credentials.verifyAll', { concurrency: 4 }));
    expect(run).toEqual({ runId: expect.any(String), total: expect.any(Number) });
    expect(failure(await dispatch('credentials.verifyAll', { concurrency: 0 })).code).toBe('INVALID_INPUT');
    expect(failure(await dispatch('credentials.verifyAll', { concurrency: 65 })).code).toBe('INVALID_INPUT');
    expect(success(await dispatch('credentials.cancelVerify', { runId: 'nope' }))).toEqual({ cancelled: false });
  });
});
