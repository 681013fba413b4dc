import type { z } from 'zod';
import type { channels, cliChannels } from '../../shared/contract';
import type { FrontEndOptions } from '../core/app/compose';
import type { KeywardCore } from '../core/app/core';
import type { createCliDispatcher } from '../core/app/handlers';
import { KeywardError } from '../core/errors';
import { resolveVaultDir } from '../core/paths';
import { escapeForTerminal } from './format';
import type { CliIO } from './io';

/** Ports the process entry may pass to the core: none in the shipped CLI; a test entry passes faults. */
export interface CliPorts {
  core?: Partial<FrontEndOptions>;
}

/** What the CLI's dispatcher serves: the window's channels and the CLI-only ones. */
type CliTable = typeof channels & typeof cliChannels;
type CliChannel = keyof CliTable;

export interface GlobalFlags {
  json: boolean;
  vaultDir?: string;
  passphraseStdin: boolean;
}

/**
 * What every command gets: its flags, the IO, and the contract. A command parses its
 * flags, sends requests through the same dispatcher and zod schemas as the window
 * (`call`), and formats the answer: defaults, limits, audit events and errors are core's.
 */
export class CliContext {
  private core: KeywardCore | null = null;
  private dispatching: Promise<ReturnType<typeof createCliDispatcher>> | null = null;
  private unexpected: unknown = null;
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

  /** This command's core (one per run), not opened: `vault.*`, `inventory.restore` and doctor work on it. */
  async newCore(extra: Partial<FrontEndOptions> = {}): Promise<KeywardCore> {
    if (this.core) return this.core;
    // Loaded when a command needs it: `keyward --help` and usage errors stay quick.
    const { createKeywardCore } = await import('../core/app/compose');
    this.core = createKeywardCore({ ...this.ports.core, ...extra, vaultDir: this.vaultDir, passphrase: await this.getPassphrase(), actor: 'cli' });
    return this.core;
  }

  /** Opens the vault; throws VAULT_NOT_INITIALIZED / VAULT_LOCKED with what to do. */
  async openCore(extra: Partial<FrontEndOptions> = {}): Promise<KeywardCore> {
    const core = await this.newCore(extra);
    // The dispatcher's modules (the handlers, the contract's schemas) load while the vault
    // opens: the keychain answers over D-Bus on another thread meanwhile.
    const dispatcher = this.dispatcher();
    try {
      await core.open();
    } finally {
      await dispatcher.catch(() => undefined);
    }
    return core;
  }

  /** The one dispatcher of this run, made on first use. */
  private dispatcher(): Promise<ReturnType<typeof createCliDispatcher>> {
    this.dispatching ??= (async () => {
      const core = await this.newCore();
      const { createCliDispatcher } = await import('../core/app/handlers');
      return createCliDispatcher(core, {}, (msg, err) => {
        this.unexpected = err;
        core.log.error(msg, err);
      });
    })();
    return this.dispatching;
  }

  /**
   * One request through the contract, as the window sends it: validated, handled, its
   * response validated. An error comes back as the KeywardError the window would show;
   * an unexpected one as itself, so KEYWARD_DEBUG=1 can print its stack.
   */
  async call<C extends CliChannel>(channel: C, request: z.input<CliTable[C]['request']>): Promise<z.output<CliTable[C]['response']>> {
    const dispatch = await this.dispatcher();
    const envelope = await dispatch(channel, request);
    if (envelope.ok) return envelope.data as z.output<CliTable[C]['response']>;
    if (envelope.error.code === 'INTERNAL' && this.unexpected) throw this.unexpected;
    throw new KeywardError(envelope.error.code, envelope.error.message);
  }

  /** The answer: JSON with --json, else the words for people (terminal escapes made visible). */
  print(json: unknown, human: string): void {
    this.io.stdout(this.flags.json ? `${jsonText(json)}\n` : escapeForTerminal(human));
  }

  /** Output that is itself the product (an export, a policy document): byte for byte into a pipe, escaped on a terminal. */
  printRaw(text: string): void {
    this.io.stdout(this.io.isTTY ? escapeForTerminal(text) : text);
  }

  async close(): Promise<void> {
    await this.core?.close();
  }
}

/** JSON.stringify leaves DEL and the C1 controls raw; escaping them keeps the same JSON and a safe terminal. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
