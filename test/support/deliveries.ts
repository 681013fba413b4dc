// What the delivery tests share: the AWS test server for a file's tests, and a vault with
// the services a delivery (and a rotation writing deliveries) runs over.
import { afterAll, beforeAll } from 'vitest';
import { AuditLog } from '../../electron/core/audit/log';
import { DeliveryService, type DeliveryPorts } from '../../electron/core/deliveries/service';
import { ParameterService } from '../../electron/core/parameters/service';
import { systemClock } from '../../electron/core/ports/clock';
import { silentLogger } from '../../electron/core/ports/logger';
import { RotationService, type RotationOptions } from '../../electron/core/rotation/rotations';
import { startAwsTestServer, type AwsTestServer } from './aws-server';
import { newVaultWithService, removeTempDirs } from './fixtures';

/** One AWS test server for the file's tests; the getter is valid inside them. */
export function useAwsTestServer(): () => AwsTestServer {
  let server: AwsTestServer | undefined;
  beforeAll(async () => {
    server = await startAwsTestServer();
  });
  afterAll(async () => {
    await server?.close();
    removeTempDirs();
  });
  return () => server as AwsTestServer;
}

/** A new vault with credentials, parameters, deliveries and a rotation engine that writes them. */
export async function vaultWithDeliveries(ports: Pick<DeliveryPorts, 'files' | 'fsRoot'> = {}, rotation: RotationOptions = {}) {
  const { vault, service: credentials, events } = await newVaultWithService({ check: { timeoutMs: 5000 } });
  const audit = new AuditLog(vault, 'cli');
  const params = new ParameterService(vault, credentials, audit);
  const deliveries = new DeliveryService(vault, credentials, params.repo, audit, { clock: systemClock, log: silentLogger, check: { timeoutMs: 5000, maxAttempts: 2 }, ...ports });
  const rotations = new RotationService(vault, credentials, audit, events, {
    call: { timeoutMs: 5000, maxAttempts: 4 },
    propagation: { timeoutMs: 5000, firstDelayMs: 20, maxDelayMs: 100 },
    maxKeyAgeDays: 90,
    ...rotation,
    deliveries,
  });
  return { vault, credentials, events, audit, params, deliveries, rotations };
}

/** An IAM user of the test server with one key, held by a new AWS credential. */
export function awsKeyCredential(aws: AwsTestServer, credentials: Awaited<ReturnType<typeof vaultWithDeliveries>>['credentials'], name: string, opts: { createDate?: Date } = {}) {
  const userName = `user-${name.replace(/\W+/g, '-')}-${Math.random().toString(36).slice(2, 8)}`;
  aws.state.createUser(userName, { allow: ['*'] });
  const key = aws.state.createAccessKey(userName, opts);
  const cred = credentials.add({ name, provider: 'AWS', type: 'ACCESS_KEY', fields: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, region: 'us-east-1', endpointUrl: aws.url }, verify: false });
  return { userName, key, cred };
}
