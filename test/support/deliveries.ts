// What the delivery tests share: the AWS test server for a file's tests, and a rotation
// world (rotation-world.ts) with the deliveries service its engine writes.
import { afterAll, beforeAll } from 'vitest';
import type { CredentialService } from '../../electron/core/credentials/service';
import { DeliveryService, type DeliveryPorts } from '../../electron/core/deliveries/service';
import { systemClock } from '../../electron/core/ports/clock';
import { silentLogger } from '../../electron/core/ports/logger';
import type { RotationOptions } from '../../electron/core/rotation/rotations';
import { startAwsTestServer, type AwsTestServer } from './aws-server';
import { awsKeyInput, closeAndRemoveTemp } from './fixtures';
import { rotationEngine, rotationWorld } from './rotation-world';

/** One AWS test server for the file's tests; the getter is valid inside them. */
export function useAwsTestServer(): () => AwsTestServer {
  let server: AwsTestServer | undefined;
  beforeAll(async () => void (server = await startAwsTestServer()));
  afterAll(() => closeAndRemoveTemp(...(server ? [server] : [])));
  return () => server as AwsTestServer;
}

/** A rotation world with its deliveries, and an engine that writes them. */
export async function vaultWithDeliveries(ports: Pick<DeliveryPorts, 'files' | 'fsRoot'> = {}) {
  const w = await rotationWorld(5000);
  const deliveries = new DeliveryService(w.vault, w.credentials, w.params.repo, w.audit, { clock: systemClock, log: silentLogger, check: { timeoutMs: 5000, maxAttempts: 2 }, ...ports });
  const engine = (opts: RotationOptions = {}) =>
    rotationEngine(w, { call: { timeoutMs: 5000, maxAttempts: 4 }, propagation: { timeoutMs: 5000, firstDelayMs: 20, maxDelayMs: 100 }, maxKeyAgeDays: 90, deliveries, ...opts });
  return { ...w, deliveries, engine };
}

/** An IAM user of the test server with one key (of the age asked), held by a new AWS credential. */
export function awsKeyCredential(aws: AwsTestServer, credentials: CredentialService, name: string, opts: { createDate?: Date } = {}) {
  const userName = `user-${name.replace(/\W+/g, '-')}-${Math.random().toString(36).slice(2, 8)}`;
  aws.state.createUser(userName, { allow: ['*'] });
  const key = aws.state.createAccessKey(userName, opts);
  return { userName, key, cred: credentials.add(awsKeyInput(name, key, aws.url)) };
}
