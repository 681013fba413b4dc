import type { CliContext } from '../context';
import { EXIT } from '../io';

export async function initCommand(ctx: CliContext): Promise<number> {
  const passphrase = await ctx.getPassphrase();
  const status = await ctx.call('vault.init', passphrase ? { keyProvider: 'passphrase', passphrase } : { keyProvider: 'keychain' });
  ctx.print(
    { path: status.path, keyProvider: status.keyProvider },
    `Created a vault at ${status.path}.\nIts key is kept ${status.keyProvider === 'keychain' ? 'in the OS keychain' : 'by your passphrase (scrypt); keep the passphrase safe: without it the vault cannot be opened'}.\n`,
  );
  return EXIT.OK;
}
