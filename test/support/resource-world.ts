// What the resource tests run over: a fast-KDF vault, the AWS test server, and the
// credential and resource services with the test's check options.
import { AuditLog } from '../../electron/core/audit/log';
import { CredentialService } from '../../electron/core/credentials/service';
import { EventBus } from '../../electron/core/events';
import type { CheckOptions } from '../../electron/core/providers/types';
import { ResourceService } from '../../electron/core/resources/service';
import { Vault } from '../../electron/core/vault/vault';
import { startAwsTestServer, type AwsTestServer } from './aws-server';
import { closeAndRemoveTemp, fastProvider, tempDir } from './fixtures';

export interface ResourceWorld {
  vault: Vault;
  aws: AwsTestServer;
  audit: AuditLog;
  creds: CredentialService;
  resources: ResourceService;
}

export async function startResourceWorld(check: CheckOptions): Promise<ResourceWorld> {
  const vault = await Vault.init(tempDir(), fastProvider());
  const aws = await startAwsTestServer({ latencyMs: 0, propagationDelayMs: 0 });
  const audit = new AuditLog(vault, 'cli');
  const creds = new CredentialService(vault, new EventBus(), { check, audit });
  return { vault, aws, audit, creds, resources: new ResourceService(vault, creds, audit, check) };
}

export async function stopResourceWorld(w: Pick<ResourceWorld, 'vault' | 'aws'>): Promise<void> {
  w.vault.close();
  await closeAndRemoveTemp(w.aws);
}
