import type { VaultStatus } from '../../../shared/contract';
import { AuditLog, type AuditActor } from '../audit/log';
import { SecretClipboard, type ClipboardPort } from '../clipboard';
import { CredentialService, type ServiceOptions } from '../credentials/service';
import { KeywardError } from '../errors';
import { EventBus } from '../events';
import { CredentialReports } from '../inventory/report';
import { chooseKeyProvider } from '../keys/choose';
import { vaultFilePath } from '../paths';
import { readMeta, Vault, vaultExists } from '../vault/vault';
import { ResourceService } from '../resources/service';
import { PolicyService } from '../policy/service';
import { DEFAULT_CHECK } from '../verification/check';
import { ParameterService } from '../parameters/service';
import { readInventorySettingsFrom } from '../inventory/settings';
import { RotationService, type RotationOptions } from '../rotation/service';

export interface CoreOptions extends ServiceOptions {
  vaultDir: string;
  /** KEYWARD_PASSPHRASE, when the environment sets one. */
  passphrase?: string | null;
  keychainService?: string;
  /** Who acts, for the audit log. The desktop also records unlocking. */
  actor?: AuditActor;
  /** The OS clipboard (desktop only): secrets can be copied, and are cleared after 30 s. */
  clipboard?: ClipboardPort;
  clipboardClearMs?: number;
  /** Rotation settings (propagation wait, test hooks); parameters follow rotations by themselves. */
  rotation?: Omit<RotationOptions, 'boundParameters'>;
}

/**
 * The whole product behind one object: the vault's lock state and the services that
 * need it unlocked. Electron's main process and the loopback test harness each hold one.
 */
export class KeywardCore {
  readonly events = new EventBus();
  private vault: Vault | null = null;
  private credentialService: CredentialService | null = null;
  private auditLog: AuditLog | null = null;
  private resourceService: ResourceService | null = null;
  private policyService: PolicyService | null = null;
  private parameterService: ParameterService | null = null;
  private rotationService: RotationService | null = null;
  private reportStore: CredentialReports | null = null;
  private lockReason: string | null = null;
  private readonly clipboard: SecretClipboard | null;

  constructor(private readonly opts: CoreOptions) {
    this.clipboard = opts.clipboard ? new SecretClipboard(opts.clipboard, opts.clipboardClearMs) : null;
  }

  /** Copies one secret field to the clipboard from here, never through the window. */
  copySecret(idOrName: string, field: string): { copied: true; clearsAfterSeconds: number } {
    if (!this.clipboard) throw new KeywardError('INVALID_INPUT', 'Copying a secret is available in the desktop app only.');
    const rec = this.credentials.find(idOrName);
    const secrets = this.credentials.repo.secretsOf(rec.id);
    if (!(field in secrets)) throw new KeywardError('NOT_FOUND', `Credential "${rec.name}" has no stored secret "${field}".`);
    const ms = this.clipboard.copy(secrets[field]);
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
    if (this.vault) return;
    const meta = readMeta(this.opts.vaultDir);
    if (meta.keyProvider === 'passphrase' && !this.opts.passphrase) {
      throw new KeywardError(
        'VAULT_LOCKED',
        'Vault is locked: it is protected by a passphrase. Enter it to unlock (CLI: set KEYWARD_PASSPHRASE or pass --passphrase-stdin). The vault file was not changed.',
        { reason: 'passphrase-missing' },
      );
    }
    const kind = this.opts.passphrase ? 'passphrase' : 'keychain';
    await this.openWith(chooseKeyProvider({ passphrase: this.opts.passphrase, kind, keychainService: this.opts.keychainService }));
  }

  status(): VaultStatus {
    const path = vaultFilePath(this.opts.vaultDir);
    if (this.vault) {
      const { readOnly, damage } = this.vault;
      const reason = damage ? `The vault file is damaged (${damage}); it is open read-only and nothing is written to it. Run \`keyward doctor\` and restore from a backup.` : null;
      return { state: 'UNLOCKED', keyProvider: this.vault.keyProvider, path, reason, readOnly, credentialCount: this.credentials.repo.count() };
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
  keyProviderToOpen(): ReturnType<typeof chooseKeyProvider> | null {
    let made: 'keychain' | 'passphrase' | null = null;
    try {
      made = readMeta(this.opts.vaultDir).keyProvider;
    } catch {
      // An unreadable vault: the doctor reports it itself.
    }
    if (made === 'passphrase' && !this.opts.passphrase) return null;
    return chooseKeyProvider({ passphrase: this.opts.passphrase, kind: this.opts.passphrase ? 'passphrase' : 'keychain', keychainService: this.opts.keychainService });
  }

  async init(kind: 'keychain' | 'passphrase', passphrase?: string | null): Promise<VaultStatus> {
    const vault = await Vault.init(this.opts.vaultDir, chooseKeyProvider({ kind, passphrase: passphrase ?? null, keychainService: this.opts.keychainService }));
    this.attach(vault, 'created');
    return this.status();
  }

  async unlock(passphrase: string): Promise<VaultStatus> {
    if (this.vault) return this.status();
    await this.openWith(chooseKeyProvider({ kind: 'passphrase', passphrase }));
    return this.status();
  }

  private async openWith(provider: ReturnType<typeof chooseKeyProvider>): Promise<void> {
    this.attach(await Vault.open(this.opts.vaultDir, provider), 'unlocked');
  }

  private attach(vault: Vault, how: 'created' | 'unlocked'): void {
    this.vault = vault;
    this.lockReason = null;
    this.auditLog = new AuditLog(vault, this.opts.actor ?? 'desktop');
    this.credentialService = new CredentialService(vault, this.events, { ...this.opts, audit: this.auditLog });
    const parameters = new ParameterService(vault, this.credentialService, this.auditLog);
    this.parameterService = parameters;
    this.rotationService = new RotationService(vault, this.credentialService, this.auditLog, this.events, {
      maxKeyAgeDays: () => readInventorySettingsFrom(vault.db).maxAgeDays,
      ...this.opts.rotation,
      boundParameters: (credentialId) => parameters.repo.boundTo(credentialId),
    });
    this.resourceService = new ResourceService(vault, this.credentialService, this.auditLog, { ...DEFAULT_CHECK, ...this.opts.check });
    this.policyService = new PolicyService(vault, this.credentialService, this.resourceService.repo);
    const service = this.credentialService;
    this.reportStore = new CredentialReports(vault, this.auditLog, () => service.repo.list());
    // The CLI opens the vault once per command; only sessions of the app are recorded.
    if (!vault.readOnly && (how === 'created' || this.opts.actor !== 'cli')) this.auditLog.append(`vault.${how}`, { details: { keyProvider: vault.keyProvider } });
  }

  private unlocked<T>(value: T | null): T {
    if (value) return value;
    const s = this.status();
    throw new KeywardError(
      s.state === 'NOT_INITIALIZED' ? 'VAULT_NOT_INITIALIZED' : 'VAULT_LOCKED',
      s.state === 'NOT_INITIALIZED' ? `No vault at ${s.path} yet. Create one first.` : (s.reason ?? 'Vault is locked. Unlock it first.'),
    );
  }

  get audit(): AuditLog {
    return this.unlocked(this.auditLog);
  }

  get credentials(): CredentialService {
    return this.unlocked(this.credentialService);
  }

  /** AWS security groups registered under credentials. */
  get resources(): ResourceService {
    return this.unlocked(this.resourceService);
  }

  get policy(): PolicyService {
    return this.unlocked(this.policyService);
  }

  get parameters(): ParameterService {
    return this.unlocked(this.parameterService);
  }

  get rotations(): RotationService {
    return this.unlocked(this.rotationService);
  }

  /** IAM credential reports: imported or fetched, matched to the vault's keys. */
  get reports(): CredentialReports {
    return this.unlocked(this.reportStore);
  }

  /** The open vault itself, for whole-vault work (backup, doctor). */
  get openVault(): Vault {
    return this.unlocked(this.vault);
  }

  async close(): Promise<void> {
    this.clipboard?.flush();
    this.credentialService?.abortAll();
    await this.credentialService?.idle().catch(() => undefined);
    if (this.vault && !this.vault.readOnly && this.opts.actor !== 'cli') this.auditLog?.append('vault.locked');
    this.vault?.close();
    this.vault = null;
    this.credentialService = null;
    this.auditLog = null;
    this.resourceService = null;
    this.policyService = null;
    this.parameterService = null;
    this.rotationService = null;
    this.reportStore = null;
  }
}
