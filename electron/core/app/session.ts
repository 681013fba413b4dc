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
import { once } from '../../../shared/once';

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
  readonly #parameters: () => ParameterService;
  readonly #deliveries: () => DeliveryService;
  readonly #rotations: () => RotationService;
  readonly #resources: () => ResourceService;
  readonly #policy: () => PolicyService;
  readonly #reports: () => CredentialReports;
  readonly #watch: () => WatchService;

  constructor(
    readonly vault: Vault,
    ports: SessionPorts,
  ) {
    const audit = (this.audit = new AuditLog(vault, ports.actor, ports.clock));
    const credentials = (this.credentials = new CredentialService(vault, ports.events, { check: ports.check, audit, clock: ports.clock, log: ports.log }));
    const check = { ...DEFAULT_CHECK, ...ports.check };
    this.#parameters = once(() => new ParameterService(vault, credentials, audit, DEFAULT_CHECK, { clock: ports.clock, log: ports.log }));
    this.#deliveries = once(() => new DeliveryService(vault, credentials, this.parameters.repo, audit, { clock: ports.clock, log: ports.log, check, ...ports.deliveries }));
    this.#rotations = once(
      () =>
        new RotationService(vault, credentials, audit, ports.events, {
          maxKeyAgeDays: () => readInventorySettingsFrom(vault.db).maxAgeDays,
          clock: ports.clock,
          ...ports.rotation,
          log: ports.log,
          deliveries: this.deliveries,
        }),
    );
    this.#resources = once(() => new ResourceService(vault, credentials, audit, check, ports.clock));
    this.#policy = once(() => new PolicyService(vault, credentials, this.resources.repo, this.deliveries));
    this.#reports = once(() => new CredentialReports(vault, audit, () => credentials.repo.list(), ports.clock));
    this.#watch = once(
      () =>
        new WatchService({
          vault,
          clock: ports.clock,
          credentials,
          reports: this.reports,
          openRotations: () => this.rotations.listOpen(),
          inventorySettings: () => readInventorySettingsFrom(vault.db),
          audit,
          events: ports.events,
          notifier: ports.notifier ?? null,
        }),
    );
  }

  get parameters(): ParameterService {
    return this.#parameters();
  }

  /** The places each credential's key is copied to. */
  get deliveries(): DeliveryService {
    return this.#deliveries();
  }

  get rotations(): RotationService {
    return this.#rotations();
  }

  /** AWS security groups registered under credentials. */
  get resources(): ResourceService {
    return this.#resources();
  }

  get policy(): PolicyService {
    return this.#policy();
  }

  /** IAM credential reports: imported or fetched, matched to the vault's keys. */
  get reports(): CredentialReports {
    return this.#reports();
  }

  /** What needs attention, and the check runs that keep it fresh. */
  get watch(): WatchService {
    return this.#watch();
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
