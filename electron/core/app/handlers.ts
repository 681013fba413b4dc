// PARALLEL SESSION NOTE (temporary): read DEVELOPERS.md, section "Today's parallel session" — no commits, no npm install, only your own tests, stop and report by 21:05 UTC.
import { channels, type ChannelName, type Envelope, type ParsedRequest, type Response } from '../../../shared/contract';
import { KeywardError, toErrorPayload } from '../errors';
import type { KeywardCore } from './core';

/** Handlers for some channels of the contract; each feature supplies its own. */
export type HandlersFor<K extends ChannelName> = { [C in K]: (req: ParsedRequest<C>) => Promise<Response<C>> | Response<C> };
type Handlers = HandlersFor<ChannelName>;

type VaultChannel = Extract<ChannelName, `vault.${string}`>;
type CredentialChannel = Extract<ChannelName, `credentials.${string}`>;

function vaultHandlers(core: KeywardCore): HandlersFor<VaultChannel> {
  return {
    'vault.status': () => core.status(),
    'vault.unlock': (r) => core.unlock(r.passphrase),
    'vault.init': (r) => {
      if (r.keyProvider === 'passphrase' && !r.passphrase) {
        throw new KeywardError('INVALID_INPUT', 'Choose a passphrase of at least 12 characters.');
      }
      return core.init(r.keyProvider, r.passphrase);
    },
  };
}

function credentialHandlers(core: KeywardCore): HandlersFor<CredentialChannel> {
  return {
    'credentials.list': () => core.credentials.list(),
    'credentials.get': (r) => core.credentials.get(r.id),
    'credentials.add': (r) => core.credentials.add(r),
    'credentials.update': (r) => core.credentials.update(r),
    'credentials.delete': (r) => core.credentials.delete(r.id),
    'credentials.verify': (r) => core.credentials.verify(r.id),
    'credentials.verifyAll': (r) => {
      const run = core.credentials.verifyMany('all', r.concurrency);
      return { runId: run.runId, total: run.total };
    },
    'credentials.cancelVerify': (r) => ({ cancelled: core.credentials.cancel(r.runId) }),
    'credentials.copySecret': (r) => core.copySecret(r.id, r.field),
  };
}

function auditHandlers(core: KeywardCore): HandlersFor<Extract<ChannelName, `audit.${string}`>> {
  return {
    'audit.list': (r) => core.audit.list(r),
    'audit.verify': () => core.audit.verify(),
  };
}

/** Each channel of the contract, bound to the core. A feature adds its handlers here. */
export function createHandlers(core: KeywardCore): Handlers {
  return {
    ...vaultHandlers(core),
    ...credentialHandlers(core),
    ...auditHandlers(core),
  };
}

/**
 * The single entry for every invoke, from Electron's ipcMain or the test harness:
 * validates the request against the contract, runs the handler, validates the
 * response (so nothing undeclared, like a secret, can slip out), and turns errors into
 * values.
 */
export function createDispatcher(core: KeywardCore, log: (msg: string, err: unknown) => void = () => undefined) {
  const handlers = createHandlers(core);
  return async function dispatch(channel: string, raw: unknown): Promise<Envelope<unknown>> {
    if (!Object.hasOwn(channels, channel)) {
      return { ok: false, error: { code: 'INVALID_INPUT', message: `Unknown channel "${channel}".` } };
    }
    const name = channel as ChannelName;
    const parsed = channels[name].request.safeParse(raw ?? {});
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ');
      return { ok: false, error: { code: 'INVALID_INPUT', message: `Invalid request for ${channel}: ${detail}` } };
    }
    try {
      const handler = handlers[name] as (r: unknown) => unknown;
      const data = await handler(parsed.data);
      return { ok: true, data: channels[name].response.parse(data) };
    } catch (e) {
      if (!(e instanceof KeywardError)) log(`handler ${channel} failed`, e);
      return { ok: false, error: toErrorPayload(e) };
    }
  };
}
