import type { VaultStatus } from '../../../shared/contract';
import type { AuditActor, AuditLog } from '../audit/log';
import { SecretClipboard, type ClipboardPort } from '../clipboard';
import type { CredentialService, ServiceOptions } from '../credentials/service';
import { KeywardError } from '../errors';
import { EventBus } from '../events';
import type { CredentialReports } from '../inventory/report';
import { osKeyProviders } from '../keys/choose';
import type { KeyProvider } from '../keys/types';
import { vaultFilePath } from '../paths';
import { systemClock, type Clock } from '../ports/clock';
import type { KeyProviderRequest, KeyProviders } from '../ports/keys';
import { silentLogger, type Logger } from '../ports/logger';
import { readMeta, Vault, vaultExists } from '../vault/vault';
import { openVaultWithKey } from '../vault/open';
import type { ResourceService } from '../resources/service';
import type { PolicyService } from '../policy/service';
import type { ParameterService } from '../parameters/service';
import type { RotationOptions, RotationService } from '../rotation/rotations';
import type { DeliveryPorts, DeliveryService } from '../deliveries/service';
import type { UnlockedSession } from './session';
import type { WatchStatus } from '../../../shared/channels/watch';
import { changePassphrase, setKeyProvider } from '../lock/rekey';
import { WatchKeeper, type LockReason, type WatchPorts } from '../watch/keeper';
import type { WatchService } from '../watch/service';

export interface CoreOptions extends ServiceOptions {
  vaultDir: string;
  /** KEYWARD_PASSPHRASE, when the environment sets one. */
  passphrase?: string | null;
  /** Who acts, for the audit log. The desktop also records unlocking. */
  actor?: AuditActor;
  /** The OS clipboard (desktop only): secrets can be copied, and are cleared after the vault's clipboard setting (30 s unless changed). */
  clipboard?: ClipboardPort;
  /** A fixed clear delay in place of the vault's setting: the e2e harness, which cannot wait 15 s. */
  clipboardClearMs?: number;
  /** Rotation settings (propagation wait; a fault port only tests pass); deliveries come from the session. */
  rotation?: Omit<RotationOptions, 'deliveries'>;
  /** Deliveries' file ports: only tests pass them (a home folder, a writer that fails). */
  deliveries?: Pick<DeliveryPorts, 'fsRoot' | 'files'>;
  // The ports. The composition root (app/compose.ts) passes the real ones; the defaults
  // are the OS's key providers, the system clock and no log, so tests pass only what they fake.
  keys?: KeyProviders;
  clock?: Clock;
  log?: Logger;
  /** The app keeps watch (scheduled checks, auto-lock, OS notices); the CLI does not. */
  watch?: WatchPorts;
}

/**
 * The whole product behind one object: the vault's lock state and, while it is open,
 * one session of the services that need it. Electron's main process, the CLI and the
 * loopback test harness each hold one.
 */
export class KeywardCore {
  readonly events = new EventBus();
  readonly clock: Clock;
  readonly log: Logger;
  private readonly keys: KeyProviders;
  private session: UnlockedSession | null = null;
  private lockReason: string | null = null;
  private readonly clipboard: SecretClipboard | null;
  private readonly keeper: WatchKeeper | null;

  constructor(private readonly opts: CoreOptions) {
    this.keys = opts.keys ?? osKeyProviders();
    this.clock = opts.clock ?? systemClock;
    this.log = opts.log ?? silentLogger;
    this.clipboard = opts.clipboard ? new SecretClipboard(opts.clipboard, this.clock) : null;
    this.keeper = opts.watch
      ? new WatchKeeper(
          {
            clock: this.clock,
            watch: () => this.session?.watch ?? null,
            lock: (reason) => this.lock(reason),
            onError: (e) => this.log.error('A scheduled check failed', e),
          },
          opts.watch,
        )
      : null;
  }

  /** Locks now: the data key and every service over the vault are dropped; the window forgets what it showed. */
  async lock(reason: LockReason = 'manual'): Promise<VaultStatus> {
    if (!this.session) return this.status();
    await this.close();
    this.events.emit('vault.locked', { reason });
    return this.status();
  }

  /** What needs attention, the check schedule and its last run. */
  get watch(): WatchService {
    return this.unlocked.watch;
  }

  watchStatus(): WatchStatus {
    return this.watch.status(this.keeper?.schedule() ?? null);
  }

  setWatchSettings(change: Parameters<WatchService['setSettings']>[0]): WatchStatus {
    this.watch.setSettings(change);
    this.keeper?.settingsChanged();
    return this.watchStatus();
  }

  runChecksNow(): { started: boolean } {
    const watch = this.watch;
    if (this.keeper) return this.keeper.runNow();
    void watch.run('manual', { verify: true });
    return { started: true };
  }

  /** The OS went to sleep or locked the screen (the app's powerMonitor). */
  async suspended(reason: 'suspend' | 'screen-lock'): Promise<void> {
    await this.keeper?.suspended(reason);
  }

  /** The OS woke up or came back online. */
  resumed(): void {
    this.keeper?.resumed();
  }

  async changePassphrase(current: string, next: string): Promise<VaultStatus> {
    const vault = this.openVault;
    await changePassphrase(vault, current, next, this.keys);
    this.audit.append('vault.passphrase-changed', { details: { keyProvider: vault.keyProvider } });
    return this.status();
  }

  async setKeyProvider(to: 'keychain' | 'passphrase', opts: { current?: string; passphrase?: string }): Promise<VaultStatus> {
    const vault = this.openVault;
    const from = vault.keyProvider;
    await setKeyProvider(vault, to, { ...opts, keys: this.keys });
    this.audit.append('vault.key-provider-changed', { details: { from, to } });
    return this.status();
  }

  /** The key provider for a vault key, from the port the composition root chose. */
  keyProvider(req: KeyProviderRequest): KeyProvider {
    return this.keys.choose(req);
  }

  /** Copies one secret field to the clipboard from here, never through the window. */
  copySecret(idOrName: string, field: string): { copied: true; clearsAfterSeconds: number } {
    if (!this.clipboard) throw new KeywardError('INVALID_INPUT', 'Copying a secret is available in the desktop app only.');
    const rec = this.credentials.find(idOrName);
    const secrets = this.credentials.repo.secretsOf(rec.id);
    if (!(field in secrets)) throw new KeywardError('NOT_FOUND', `Credential "${rec.name}" has no stored secret "${field}".`);
    const ms = this.clipboard.copy(secrets[field], this.opts.clipboardClearMs ?? this.unlocked.vaultSettings().clipboardClearSeconds * 1000);
    this.audit.append('secret.copied', { credentialId: rec.id, details: { name: rec.name, field } });
    return { copied: true, clearsAfterSeconds: Math.round(ms / 1000) };
  }

  /** Opens the vault if its key is at hand (keychain, or a passphrase from the environment). */
  async start(): Promise<VaultStatus> {
    if (!vaultExists(this.opts.vaultDir)) return this.status();
    try {
      await this.open();
    } catch (e) {
      if (!(e instanceof KeywardError)) throw e;
      this.lockReason = e.message;
    }
    return this.status();
  }

  /** Opens the vault with the provider it was made with; throws why it cannot. */
  async open(): Promise<void> {
    if (this.session) return;
    await this.attach(await openVaultWithKey(this.opts.vaultDir, this.opts.passphrase, this.keys), 'unlocked');
  }

  /**
   * The vault alone, opened with this core's key providers, for a caller that needs no
   * service (credential-process, on every AWS call); the caller closes it.
   */
  openVaultAlone(): Promise<Vault> {
    return openVaultWithKey(this.opts.vaultDir, this.opts.passphrase, this.keys);
  }

  status(): VaultStatus {
    const path = vaultFilePath(this.opts.vaultDir);
    if (this.session) {
      const { readOnly, damage } = this.session.vault;
      const reason = damage ? `The vault file is damaged (${damage}); it is open read-only and nothing is written to it. Run \`keyward doctor\` and restore from a backup.` : null;
      return { state: 'UNLOCKED', keyProvider: this.session.vault.keyProvider, path, reason, readOnly, credentialCount: this.credentials.repo.count() };
    }
    if (!vaultExists(this.opts.vaultDir)) return { state: 'NOT_INITIALIZED', keyProvider: null, path, reason: null, readOnly: false, credentialCount: null };
    let keyProvider: VaultStatus['keyProvider'] = null;
    try {
      keyProvider = readMeta(this.opts.vaultDir).keyProvider;
    } catch (e) {
      if (e instanceof KeywardError) this.lockReason = e.message;
    }
    return { state: 'LOCKED', keyProvider, path, reason: this.lockReason, readOnly: false, credentialCount: null };
  }

  /** The key provider open() would use, without opening (the doctor checks it); null: a passphrase vault and none given. */
  keyProviderToOpen(): KeyProvider | null {
    let made: 'keychain' | 'passphrase' | null = null;
    try {
      made = readMeta(this.opts.vaultDir).keyProvider;
    } catch {
      // An unreadable vault: the doctor reports it itself.
    }
    if (made === 'passphrase' && !this.opts.passphrase) return null;
    return this.keyProvider({ passphrase: this.opts.passphrase, kind: this.opts.passphrase ? 'passphrase' : 'keychain' });
  }

  /** First run asks before offering the keychain: available, or why not (in words for people). */
  async probeKeychain(): Promise<{ available: boolean; reason: string | null }> {
    const reason = (await this.keys.choose({ kind: 'keychain' }).probe?.()) ?? null;
    return { available: reason === null, reason };
  }

  async init(kind: 'keychain' | 'passphrase', passphrase?: string | null): Promise<VaultStatus> {
    const vault = await Vault.init(this.opts.vaultDir, this.keyProvider({ kind, passphrase: passphrase ?? null }), this.clock);
    await this.attach(vault, 'created');
    return this.status();
  }

  async unlock(passphrase?: string): Promise<VaultStatus> {
    if (this.session) return this.status();
    if (!passphrase) {
      await this.open();
      return this.status();
    }
    await this.openWith(this.keyProvider({ kind: 'passphrase', passphrase }));
    return this.status();
  }

  private async openWith(provider: KeyProvider): Promise<void> {
    await this.attach(await Vault.open(this.opts.vaultDir, provider), 'unlocked');
  }

  private async attach(vault: Vault, how: 'created' | 'unlocked'): Promise<void> {
    // The services load with the first open session: a core that opens the vault alone
    // (credential-process) or only reports its status never evaluates them.
    let Session: typeof UnlockedSession;
    try {
      ({ UnlockedSession: Session } = await import('./session'));
    } catch (e) {
      vault.close();
      throw e;
    }
    const { check, rotation, deliveries } = this.opts;
    this.session = new Session(vault, {
      events: this.events,
      clock: this.clock,
      log: this.log,
      actor: this.opts.actor ?? 'desktop',
      check,
      rotation,
      deliveries,
      notifier: this.keeper?.notifier ?? null,
    });
    this.lockReason = null;
    this.keeper?.unlocked();
    // The CLI opens the vault once per command; only sessions of the app are recorded.
    if (!vault.readOnly && (how === 'created' || this.opts.actor !== 'cli')) this.session.audit.append(`vault.${how}`, { details: { keyProvider: vault.keyProvider } });
  }

  /** The open session; throws VAULT_NOT_INITIALIZED / VAULT_LOCKED with what to do. */
  private get unlocked(): UnlockedSession {
    if (this.session) return this.session;
    const s = this.status();
    throw new KeywardError(
      s.state === 'NOT_INITIALIZED' ? 'VAULT_NOT_INITIALIZED' : 'VAULT_LOCKED',
      s.state === 'NOT_INITIALIZED' ? `No vault at ${s.path} yet. Create one first.` : (s.reason ?? 'Vault is locked. Unlock it first.'),
    );
  }

  get audit(): AuditLog {
    return this.unlocked.audit;
  }

  get credentials(): CredentialService {
    return this.unlocked.credentials;
  }

  /** AWS security groups registered under credentials. */
  get resources(): ResourceService {
    return this.unlocked.resources;
  }

  get policy(): PolicyService {
    return this.unlocked.policy;
  }

  get parameters(): ParameterService {
    return this.unlocked.parameters;
  }

  get rotations(): RotationService {
    return this.unlocked.rotations;
  }

  /** The places each credential's key is copied to. */
  get deliveries(): DeliveryService {
    return this.unlocked.deliveries;
  }

  /** IAM credential reports: imported or fetched, matched to the vault's keys. */
  get reports(): CredentialReports {
    return this.unlocked.reports;
  }

  /** The open vault itself, for whole-vault work (backup, doctor). */
  get openVault(): Vault {
    return this.unlocked.vault;
  }

  async close(): Promise<void> {
    this.keeper?.locked();
    await this.clipboard?.flush();
    await this.session?.close(this.opts.actor !== 'cli');
    this.session = null;
  }
}
