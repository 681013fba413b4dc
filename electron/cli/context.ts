import { createKeywardCore, type FrontEndOptions } from '../core/app/compose';
import type { KeywardCore } from '../core/app/core';
import { resolveVaultDir } from '../core/paths';
import type { CliIO } from './io';

/** Ports the process entry may pass to the core: none in the shipped CLI; a test entry passes faults. */
export interface CliPorts {
  core?: Partial<FrontEndOptions>;
}

export interface GlobalFlags {
  json: boolean;
  vaultDir?: string;
  passphraseStdin: boolean;
}

/** What every command gets: its flags, the IO, and a way to open the vault. */
export class CliContext {
  private core: KeywardCore | null = null;
  private passphrase: string | null | undefined;

  constructor(
    readonly io: CliIO,
    readonly flags: GlobalFlags,
    private readonly ports: CliPorts = {},
  ) {}

  get vaultDir(): string {
    return resolveVaultDir(this.flags.vaultDir, this.io.env);
  }

  /** KEYWARD_PASSPHRASE, or the first stdin line with --passphrase-stdin. */
  async getPassphrase(): Promise<string | null> {
    if (this.passphrase !== undefined) return this.passphrase;
    if (this.flags.passphraseStdin) this.passphrase = (await this.io.readSecret('Vault passphrase')) || null;
    else this.passphrase = this.io.env.KEYWARD_PASSPHRASE || null;
    return this.passphrase;
  }

  async newCore(extra: Partial<FrontEndOptions> = {}): Promise<KeywardCore> {
    this.core = createKeywardCore({ ...this.ports.core, ...extra, vaultDir: this.vaultDir, passphrase: await this.getPassphrase(), actor: 'cli' });
    return this.core;
  }

  /** The unlocked core; throws VAULT_NOT_INITIALIZED / VAULT_LOCKED with what to do. */
  async openCore(extra: Partial<FrontEndOptions> = {}): Promise<KeywardCore> {
    const core = await this.newCore(extra);
    await core.open();
    return core;
  }

  print(json: unknown, human: string): void {
    this.io.stdout(this.flags.json ? `${JSON.stringify(json, null, 2)}\n` : human);
  }

  async close(): Promise<void> {
    await this.core?.close();
  }
}
