import { AuditLog, type AuditActor } from '../audit/log';
import { CredentialService, type ServiceOptions } from '../credentials/service';
import type { EventBus } from '../events';
import { CredentialReports } from '../inventory/report';
import { readInventorySettingsFrom } from '../inventory/settings';
import { readVaultSettings } from '../settings/vault-settings';
import { ParameterService } from '../parameters/service';
import { PolicyService } from '../policy/service';
import type { Clock } from '../ports/clock';
import type { Logger } from '../ports/logger';
import { ResourceService } from '../resources/service';
import { RotationService, type RotationOptions } from '../rotation/rotations';
import { DEFAULT_CHECK } from '../verification/check';
import { DeliveryService, type DeliveryPorts } from '../deliveries/service';
import type { Vault } from '../vault/vault';
import { WatchService, type NotifierPort } from '../watch/service';

/** What a session is built from: the core's ports and settings. */
interface SessionPorts extends ServiceOptions {
  events: EventBus;
  clock: Clock;
  log: Logger;
  actor: AuditActor;
  rotation?: Omit<RotationOptions, 'deliveries'>;
  /** Deliveries' file ports (tests only: a home folder, a failing writer). */
  deliveries?: Pick<DeliveryPorts, 'fsRoot' | 'files'>;
  /** The OS notification, where the app keeps watch. */
  notifier?: NotifierPort | null;
}

/**
 * Everything that exists while the vault is open: the vault and the services over it,
 * dropped together. KeywardCore holds one, or none while locked. The audit log and the
 * credentials are made at once; every other service when it is first used (each prepares
 * its statements when made, and a CLI command uses one or two of them).
 */
export class UnlockedSession {
  readonly audit: AuditLog;
  readonly credentials: CredentialService;
  #made = new Map<string, unknown>();

  constructor(
    readonly vault: Vault,
    private readonly ports: SessionPorts,
  ) {
    this.audit = new AuditLog(vault, ports.actor, ports.clock);
    this.credentials = new CredentialService(vault, ports.events, { check: ports.check, audit: this.audit, clock: ports.clock, log: ports.log });
  }

  /** The service `name`, made on first use. */
  #once<T>(name: string, make: () => T): T {
    if (!this.#made.has(name)) this.#made.set(name, make());
    return this.#made.get(name) as T;
  }

  get parameters(): ParameterService {
    const { vault, ports } = this;
    return this.#once('parameters', () => new ParameterService(vault, this.credentials, this.audit, DEFAULT_CHECK, { clock: ports.clock, log: ports.log }));
  }

  /** The places each credential's key is copied to. */
  get deliveries(): DeliveryService {
    const { vault, ports } = this;
    return this.#once(
      'deliveries',
      () =>
        new DeliveryService(vault, this.credentials, this.parameters.repo, this.audit, {
          clock: ports.clock,
          log: ports.log,
          check: { ...DEFAULT_CHECK, ...ports.check },
          ...ports.deliveries,
        }),
    );
  }

  get rotations(): RotationService {
    const { vault, ports } = this;
    return this.#once(
      'rotations',
      () =>
        new RotationService(vault, this.credentials, this.audit, ports.events, {
          maxKeyAgeDays: () => readInventorySettingsFrom(vault.db).maxAgeDays,
          clock: ports.clock,
          ...ports.rotation,
          log: ports.log,
          deliveries: this.deliveries,
        }),
    );
  }

  /** AWS security groups registered under credentials. */
  get resources(): ResourceService {
    const { vault, ports } = this;
    return this.#once('resources', () => new ResourceService(vault, this.credentials, this.audit, { ...DEFAULT_CHECK, ...ports.check }, ports.clock));
  }

  get policy(): PolicyService {
    return this.#once('policy', () => new PolicyService(this.vault, this.credentials, this.resources.repo, this.deliveries));
  }

  /** IAM credential reports: imported or fetched, matched to the vault's keys. */
  get reports(): CredentialReports {
    const credentials = this.credentials;
    return this.#once('reports', () => new CredentialReports(this.vault, this.audit, () => credentials.repo.list(), this.ports.clock));
  }

  /** What needs attention, and the check runs that keep it fresh. */
  get watch(): WatchService {
    const { vault, ports } = this;
    return this.#once(
      'watch',
      () =>
        new WatchService({
          vault,
          clock: ports.clock,
          credentials: this.credentials,
          reports: this.reports,
          openRotations: () => this.rotations.listOpen(),
          inventorySettings: () => readInventorySettingsFrom(vault.db),
          audit: this.audit,
          events: ports.events,
          notifier: ports.notifier ?? null,
        }),
    );
  }

  /** The vault's settings as stored now (core reads them here: it loads no schema of its own). */
  vaultSettings() {
    return readVaultSettings(this.vault.db);
  }

  /** Stops running checks, waits for them, records the lock when asked, then closes the vault. */
  async close(recordLock: boolean): Promise<void> {
    this.credentials.abortAll();
    await this.credentials.idle().catch(() => undefined);
    if (recordLock && !this.vault.readOnly) this.audit.append('vault.locked');
    this.vault.close();
  }
}
