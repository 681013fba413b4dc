// Runs the keychain key provider in a process whose Secret Service cannot be reached
// (the test starts it with DBUS_SESSION_BUS_ADDRESS pointing at no socket).
// Usage: node --import tsx test/support/keychain-probe.ts <vaultDir> <service>
// Prints one JSON line: what init, load and discard did.
import { existsSync } from 'node:fs';
import { KeychainKeyProvider } from '../../electron/core/keys/keychain';
import { vaultFilePath } from '../../electron/core/paths';
import { Vault } from '../../electron/core/vault/vault';

type Outcome = { ok: true } | { ok: false; name: string; code?: string; reason?: unknown; message: string };

async function outcome(fn: () => Promise<unknown>): Promise<Outcome> {
  try {
    await fn();
    return { ok: true };
  } catch (e) {
    const err = e as { name?: string; code?: string; context?: { reason?: unknown }; message?: string };
    return { ok: false, name: err.name ?? 'Error', code: err.code, reason: err.context?.reason, message: err.message ?? String(e) };
  }
}

const [dir, service] = process.argv.slice(2);
const provider = new KeychainKeyProvider(service);
const init = await outcome(() => Vault.init(dir, provider));
const vaultFileExists = existsSync(vaultFilePath(dir));
const load = await outcome(() => provider.load('00000000-0000-4000-8000-000000000000'));
const discard = await outcome(() => provider.discard('00000000-0000-4000-8000-000000000000'));
process.stdout.write(`${JSON.stringify({ init, vaultFileExists, load, discard })}\n`);
