import type { cliChannels, ChannelName, CliChannelName, Envelope, ParsedRequest, Response } from '../../../shared/contract';
import { channelSchemas } from '../../../shared/channel-tables';
import { parseResponse } from '../../../shared/response-parse';
import type { z } from 'zod';
import { KeywardError, toErrorPayload } from '../errors';
import type { KeywardCore } from './core';
import { watchHandlers, type WatchChannel } from '../watch/handlers';
import { rotationHandlers } from '../rotation/handlers';
import { MIN_PASSPHRASE } from '../../../shared/passphrase';
import { readVaultSettings, writeVaultSettings } from '../settings/vault-settings';

/** Handlers for some channels of the contract; each feature supplies its own. */
export type HandlersFor<K extends ChannelName> = { [C in K]: (req: ParsedRequest<C>) => Promise<Response<C>> | Response<C> };
type Handlers = HandlersFor<ChannelName>;

// Modules only some channels use load with the first call of one of them: a CLI command
// (one per process) loads only what its own channels need.
const inventory = () => import('../inventory/service');
const awsProfiles = () => import('../aws-profiles/service');

type VaultChannel = Exclude<Extract<ChannelName, `vault.${string}`>, WatchChannel>;
type CredentialChannel = Extract<ChannelName, `credentials.${string}`>;

function vaultHandlers(core: KeywardCore): HandlersFor<VaultChannel> {
  return {
    'vault.status': () => core.status(),
    'vault.probeKeychain': () => core.probeKeychain(),
    'vault.unlock': (r) => core.unlock(r.passphrase),
    'vault.init': (r) => {
      if (r.keyProvider === 'passphrase' && !r.passphrase) {
        throw new KeywardError('INVALID_INPUT', `Choose a passphrase of at least ${MIN_PASSPHRASE} characters.`);
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
    'credentials.importAws': async (r) => {
      const { importableProfiles } = await import('../import/aws-credentials');
      const { profiles, problems } = importableProfiles(r.credentials, r.config, r.fileName);
      const { imported, skipped } = core.credentials.importAwsProfiles(profiles, { verify: r.verify });
      return { imported, skipped: [...problems, ...skipped] };
    },
    'credentials.copySecret': (r) => core.copySecret(r.id, r.field),
    'credentials.test': (r) => core.credentials.testUnsaved(r),
    'credentials.report': async (r) => ({ text: (await import('../credentials/support-report')).supportReport(core.credentials.get(r.id)) }),
  };
}

function settingsHandlers(core: KeywardCore): HandlersFor<Extract<ChannelName, `settings.${string}`>> {
  return {
    'settings.get': () => readVaultSettings(core.openVault.db),
    'settings.set': (r) => writeVaultSettings(core.openVault, core.audit, r),
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
    'resources.move': (r) => core.resources.move({ ids: r.ids, from: r.fromCredentialId, to: r.toCredentialId }),
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
    'inventory.summary': async () => (await inventory()).summaryOf(core),
    'inventory.figure': async (r) => ({ ids: (await inventory()).figureIds(core, r.figure) }),
    'inventory.setSettings': async (r) => (await inventory()).writeInventorySettings(core, r),
    'inventory.notInKeyward': () => core.reports.latest()?.notInKeyward ?? [],
    'inventory.importReport': (r) => core.reports.import(r.text, { source: 'file', fileName: r.fileName }),
    'inventory.fetchReport': async (r) => (await inventory()).fetchReport(core, r.adminId),
    'inventory.export': async (r) => (await inventory()).exportInventory(core, r.format, r.keyIds),
    'inventory.backup': async (r) => (await inventory()).backupToBase64(core, r.passphrase),
    'inventory.restore': async (r) => (await inventory()).restoreFromBase64(core, r),
    'inventory.doctor': async () => (await inventory()).doctorOf(core),
    'inventory.keyUsage': async (r) => (await inventory()).keyUsageOf(core, r.credentialId),
  };
}

function awsProfileHandlers(core: KeywardCore): HandlersFor<Extract<ChannelName, `awsProfiles.${string}`>> {
  return {
    'awsProfiles.using': async (r) => (await awsProfiles()).profilesUsingCredential(core.credentials, r.credentialId),
    'awsProfiles.migrate': async (r) => {
      const { migrateProfiles, awsFilesOf } = await awsProfiles();
      return migrateProfiles(core.credentials, core.audit, { ...r, ...awsFilesOf() });
    },
  };
}

function deliveryHandlers(core: KeywardCore): HandlersFor<Extract<ChannelName, `delivery.${string}`>> {
  return {
    'delivery.list': (r) => core.deliveries.list(r.credentialId),
    'delivery.add': (r) => core.deliveries.add(r),
    'delivery.remove': (r) => core.deliveries.remove(r.id),
    'delivery.test': (r) => core.deliveries.test(r.ref),
    'delivery.kinds': () => core.deliveries.kinds(),
  };
}

type CliHandlers = {
  [C in CliChannelName]: (req: z.output<(typeof cliChannels)[C]['request']>) => Promise<z.output<(typeof cliChannels)[C]['response']>> | z.output<(typeof cliChannels)[C]['response']>;
};

/** The CLI-only channels (see `cliChannels`): a secret by design, and file paths. */
function cliHandlers(core: KeywardCore, cli: { readMfaCode?: (serial: string) => Promise<string> }): CliHandlers {
  return {
    'awsProfiles.credentials': async (r) => {
      const { awsCredentialsFor } = await import('../aws-profiles/credential-process');
      return (await awsCredentialsFor(core.openVault, core.audit, r, { readMfaCode: cli.readMfaCode })).credentials;
    },
    'awsProfiles.migrateFiles': async (r) => (await awsProfiles()).migrateProfiles(core.credentials, core.audit, r),
    'inventory.backupToFile': async (r) => (await inventory()).backupToFile(core, r.passphrase, r.file),
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
    ...watchHandlers(core),
    ...awsProfileHandlers(core),
    ...settingsHandlers(core),
    ...deliveryHandlers(core),
  };
}

/**
 * The single entry for every invoke, from Electron's ipcMain or the test harness:
 * validates the request against the contract, runs the handler, validates the
 * response (so nothing undeclared, like a secret, can slip out: shared/response-parse.ts
 * gives zod's answer without zod's per-field cost), and turns errors into values. A
 * feature's schemas are built when one of its channels is first called
 * (shared/channel-tables.ts).
 */
export function createDispatcher(core: KeywardCore, log: (msg: string, err: unknown) => void = (msg, err) => core.log.error(msg, err)) {
  return dispatcherOver(core, { cli: false }, createHandlers(core) as Record<string, (r: unknown) => unknown>, log);
}

/**
 * The CLI's dispatcher: the window's channels and the CLI-only ones (`cliChannels`).
 * Only the CLI builds it; Electron's main process uses createDispatcher.
 */
export function createCliDispatcher(
  core: KeywardCore,
  cli: { readMfaCode?: (serial: string) => Promise<string> } = {},
  log: (msg: string, err: unknown) => void = (msg, err) => core.log.error(msg, err),
) {
  const handlers = { ...createHandlers(core), ...cliHandlers(core, cli) } as Record<string, (r: unknown) => unknown>;
  return dispatcherOver(core, { cli: true }, handlers, log);
}

function dispatcherOver(core: KeywardCore, served: { cli: boolean }, handlers: Record<string, (r: unknown) => unknown>, log: (msg: string, err: unknown) => void) {
  return async function dispatch(channel: string, raw: unknown): Promise<Envelope<unknown>> {
    const schemas = typeof channel === 'string' && Object.hasOwn(handlers, channel) ? await channelSchemas(channel, served) : null;
    if (!schemas) {
      return { ok: false, error: { code: 'INVALID_INPUT', message: `Unknown channel "${channel}".` } };
    }
    const parsed = schemas.request.safeParse(raw ?? {});
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ');
      return { ok: false, error: { code: 'INVALID_INPUT', message: `Invalid request for ${channel}: ${detail}` } };
    }
    try {
      const data = await handlers[channel](parsed.data);
      return { ok: true, data: parseResponse(schemas.response, data) };
    } catch (e) {
      if (e instanceof KeywardError) return { ok: false, error: toErrorPayload(e) };
      log(`handler ${channel} failed`, e);
      return { ok: false, error: toErrorPayload(e, core.log.location) };
    }
  };
}
