import { channels, type ChannelName, type Envelope, type ParsedRequest, type Response } from '../../../shared/contract';
import { KeywardError, toErrorPayload } from '../errors';
import { parseAwsProfiles } from '../import/aws-credentials';
import type { KeywardCore } from './core';
import { rotationHandlers } from '../rotation/handlers';
import { backupToBase64, doctorOf, exportInventory, fetchReport, figureIds, keyUsageOf, restoreFromBase64, summaryOf, writeInventorySettings } from '../inventory/service';

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
      const run = core.credentials.verifyMany(r.ids ?? 'all', r.concurrency);
      return { runId: run.runId, total: run.total };
    },
    'credentials.cancelVerify': (r) => ({ cancelled: core.credentials.cancel(r.runId) }),
    'credentials.importAws': (r) => {
      const { profiles, problems } = parseAwsProfiles(r.credentials, r.config);
      const { imported, skipped } = core.credentials.importAwsProfiles(profiles, { verify: r.verify });
      return { imported, skipped: [...problems, ...skipped] };
    },
    'credentials.copySecret': (r) => core.copySecret(r.id, r.field),
  };
}

function auditHandlers(core: KeywardCore): HandlersFor<Extract<ChannelName, `audit.${string}`>> {
  return {
    'audit.list': ({ credential, ...r }) => core.audit.list({ ...r, credentialId: credential ? core.credentials.findAny(credential, core.audit) : r.credentialId }),
    'audit.verify': () => core.audit.verify(),
  };
}

function resourceHandlers(core: KeywardCore): HandlersFor<Extract<ChannelName, `resources.${string}` | `policy.${string}`>> {
  return {
    'resources.list': (r) => core.resources.list(r.credentialId),
    'resources.add': (r) => core.resources.add({ credential: r.credentialId, groupId: r.groupId, region: r.region }),
    'resources.verify': (r) => core.resources.verify(r.id),
    'resources.verifyAll': (r) => core.resources.verifyAll(r.credentialId),
    'resources.setRegion': (r) => core.resources.setRegion(r.id, r.region),
    'resources.delete': (r) => core.resources.delete(r.id),
    'policy.generate': (r) => core.policy.generate({ credential: r.credentialId, withRotation: r.withRotation }),
  };
}

function parameterHandlers(core: KeywardCore): HandlersFor<Extract<ChannelName, `parameters.${string}`>> {
  return {
    'parameters.list': (r) => core.parameters.list(r),
    'parameters.define': (r) => core.parameters.define(r),
    'parameters.get': (r) => core.parameters.get(r.key),
    'parameters.set': ({ key, value, ...definition }) => core.parameters.set(key, value, definition),
    'parameters.bind': (r) => core.parameters.bind(r.key, r.credentialId, r.field),
    'parameters.unbind': (r) => core.parameters.unbind(r.key),
    'parameters.delete': (r) => core.parameters.delete(r.key),
    'parameters.test': (r) => core.parameters.performTest(r.group),
    'parameters.export': (r) => {
      const slug = r.group.replace(/[^\w.-]+/g, '-');
      return r.format === 'env'
        ? { filename: `${slug}.env`, content: core.parameters.exportEnv(r.group) }
        : { filename: `${slug}.json`, content: `${JSON.stringify(core.parameters.exportGroup(r.group), null, 2)}\n` };
    },
    'parameters.import': (r) => {
      let data: unknown;
      try {
        data = JSON.parse(r.content);
      } catch {
        throw new KeywardError('INVALID_INPUT', 'The file is not JSON: import a group exported as JSON by Keyward.');
      }
      return core.parameters.importGroup(data as Parameters<KeywardCore['parameters']['importGroup']>[0]);
    },
    'parameters.template': (r) => core.parameters.addTemplate(r.group, r.prefix),
  };
}

function inventoryHandlers(core: KeywardCore): HandlersFor<Extract<ChannelName, `inventory.${string}`>> {
  return {
    'inventory.summary': () => summaryOf(core),
    'inventory.figure': (r) => ({ ids: figureIds(core, r.figure) }),
    'inventory.setSettings': (r) => writeInventorySettings(core, r),
    'inventory.notInKeyward': () => core.reports.latest()?.notInKeyward ?? [],
    'inventory.importReport': (r) => core.reports.import(r.text, { source: 'file', fileName: r.fileName }),
    'inventory.fetchReport': (r) => fetchReport(core, r.adminId),
    'inventory.export': (r) => exportInventory(core, r.format, r.keyIds),
    'inventory.backup': (r) => backupToBase64(core, r.passphrase),
    'inventory.restore': (r) => restoreFromBase64(core, r),
    'inventory.doctor': () => doctorOf(core),
    'inventory.keyUsage': (r) => keyUsageOf(core, r.credentialId),
  };
}

/** Each channel of the contract, bound to the core. A feature adds its handlers here. */
export function createHandlers(core: KeywardCore): Handlers {
  return {
    ...vaultHandlers(core),
    ...credentialHandlers(core),
    ...auditHandlers(core),
    ...rotationHandlers(core),
    ...parameterHandlers(core),
    ...resourceHandlers(core),
    ...inventoryHandlers(core),
  };
}

/**
 * The single entry for every invoke, from Electron's ipcMain or the test harness:
 * validates the request against the contract, runs the handler, validates the
 * response (so nothing undeclared, like a secret, can slip out), and turns errors into
 * values.
 */
export function createDispatcher(core: KeywardCore, log: (msg: string, err: unknown) => void = (msg, err) => core.log.error(msg, err)) {
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
      if (e instanceof KeywardError) return { ok: false, error: toErrorPayload(e) };
      log(`handler ${channel} failed`, e);
      return { ok: false, error: toErrorPayload(e, core.log.location) };
    }
  };
}
