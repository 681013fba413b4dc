import type { CliContext } from '../context';

export async function initCommand(ctx: CliContext): Promise<number> {
  const passphrase = await ctx.getPassphrase();
  const core = await ctx.newCore();
  const status = await core.init(passphrase ? 'passphrase' : 'keychain', passphrase);
  ctx.print(
    { path: status.path, keyProvider: status.keyProvider },
    `Created a vault at ${status.path}.\nIts key is kept ${status.keyProvider === 'keychain' ? 'in the OS keychain' : 'by your passphrase (scrypt); keep the passphrase safe: without it the vault cannot be opened'}.\n`,
  );
  return 0;
}
