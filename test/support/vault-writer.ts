// A second process that writes to a vault while the test process writes too.
// Usage: node --import tsx test/support/vault-writer.ts <vaultDir> <prefix> <count>
// The passphrase comes from KEYWARD_TEST_PASSPHRASE (fast scrypt parameters are read
// from the vault). Prints "ready" once the vault is open, waits for "go" on stdin,
// adds <count> AWS credentials (no verification), then prints one JSON line:
// {"added": n, "errors": ["CODE: message", ...], "firstAt": ms, "lastAt": ms} and exits 0 (1 on a setup failure).
import { createInterface } from 'node:readline';
import { CredentialService } from '../../electron/core/credentials/service';
import { EventBus } from '../../electron/core/events';
import { PassphraseKeyProvider } from '../../electron/core/keys/passphrase';
import { Vault } from '../../electron/core/vault/vault';
import { awsFields } from './fixtures';

async function main(): Promise<void> {
  const [dir, prefix, countText] = process.argv.slice(2);
  const passphrase = process.env.KEYWARD_TEST_PASSPHRASE;
  if (!dir || !prefix || !countText || !passphrase) throw new Error('usage: vault-writer <dir> <prefix> <count> (KEYWARD_TEST_PASSPHRASE set)');
  const vault = await Vault.open(dir, new PassphraseKeyProvider(passphrase));
  const service = new CredentialService(vault, new EventBus());
  process.stdout.write('ready\n');
  const lines = createInterface({ input: process.stdin });
  await new Promise<void>((resolve) => lines.on('line', (l) => l.trim() === 'go' && resolve()));
  lines.close();
  const errors: string[] = [];
  let added = 0;
  const firstAt = Date.now();
  for (let i = 0; i < Number(countText); i++) {
    try {
      service.add({ name: `${prefix}-${String(i).padStart(3, '0')}`, provider: 'AWS', type: 'ACCESS_KEY', fields: awsFields(), verify: false });
      added++;
    } catch (e) {
      const err = e as { code?: string; message?: string };
      errors.push(`${err.code ?? 'ERR'}: ${err.message ?? String(e)}`);
    }
    // Yield so the two writers interleave instead of one finishing first.
    await new Promise((r) => setImmediate(r));
  }
  const lastAt = Date.now();
  vault.close();
  process.stdout.write(`${JSON.stringify({ added, errors, firstAt, lastAt })}\n`);
}

main().catch((e) => {
  process.stderr.write(`vault-writer failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
