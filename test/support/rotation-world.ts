// What a rotation engine runs over in the core tests: a fresh fast-KDF vault, its
// credential, audit and parameter services, and the engine (whose deliveries, bound
// parameters among them, are read from the same vault unless the test passes its own).
import { AuditLog } from '../../electron/core/audit/log';
import type { CredentialService } from '../../electron/core/credentials/service';
import type { EventBus } from '../../electron/core/events';
import { ParameterService } from '../../electron/core/parameters/service';
import { RotationService, type RotationOptions } from '../../electron/core/rotation/rotations';
import type { Vault } from '../../electron/core/vault/vault';
import { newVaultWithService } from './fixtures';

export interface RotationWorld {
  vault: Vault;
  credentials: CredentialService;
  events: EventBus;
  audit: AuditLog;
  params: ParameterService;
}

export async function rotationWorld(checkTimeoutMs: number): Promise<RotationWorld> {
  const { vault, service: credentials, events } = await newVaultWithService({ check: { timeoutMs: checkTimeoutMs } });
  const audit = new AuditLog(vault, 'cli');
  return { vault, credentials, events, audit, params: new ParameterService(vault, credentials, audit) };
}

export function rotationEngine(w: RotationWorld, opts: RotationOptions): RotationService {
  return new RotationService(w.vault, w.credentials, w.audit, w.events, opts);
}
