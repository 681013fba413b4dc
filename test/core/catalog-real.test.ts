// Catalog entries, each reached from a real error: a local condition (DNS, TLS certificate
// expired or untrusted) or the AWS test server through the real SDK.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG } from '../../electron/core/diagnosis/catalog';
import { describeGroup } from '../../electron/core/diagnosis/context';
import { diagnose, findEntry } from '../../electron/core/diagnosis/diagnose';
import { classifyAwsError } from '../../electron/core/providers/aws/errors';
import { checkAwsCredential } from '../../electron/core/providers/aws/verify';
import { startAwsTestServer, type AwsTestServer } from '../support/aws-server';
import { removeTempDirs, tempDir } from '../support/fixtures';

const OPTS = { timeoutMs: 3000, maxAttempts: 1 };
const causeOf = (id: string) => CATALOG.find((e) => e.id === id)!.cause;

let aws: AwsTestServer;
const servers: Server[] = [];

/** A self-signed certificate for 127.0.0.1, valid between the given dates (openssl ca). */
function certificate(dir: string, start: string, end: string): { key: Buffer; cert: Buffer } {
  mkdirSync(join(dir, 'newcerts'));
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'serial'), '01\n');
  writeFileSync(
    join(dir, 'ca.cnf'),
    `[ ca ]\ndefault_ca = d\n[ d ]\ndir = ${dir}\ndatabase = ${dir}/index.txt\nnew_certs_dir = ${dir}/newcerts\nserial = ${dir}/serial\ndefault_md = sha256\npolicy = p\n[ p ]\ncommonName = supplied\n`,
  );
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  run(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'k.pem', '-out', 'csr.pem', '-subj', '/CN=127.0.0.1']);
  run(['ca', '-batch', '-config', 'ca.cnf', '-selfsign', '-keyfile', 'k.pem', '-in', 'csr.pem', '-out', 'c.pem', '-startdate', start, '-enddate', end]);
  return { key: readFileSync(join(dir, 'k.pem')), cert: readFileSync(join(dir, 'c.pem')) };
}

async function httpsWith(tls: { key: Buffer; cert: Buffer }): Promise<string> {
  const server = createServer(tls, (_req, res) => res.end('{}'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  aws = await startAwsTestServer({ latencyMs: 0, propagationDelayMs: 0 });
});
afterAll(async () => {
  await aws.close();
  for (const s of servers) await new Promise<void>((r) => (s.closeAllConnections(), s.close(() => r())));
  removeTempDirs();
});

async function checkAt(endpointUrl: string, key = { accessKeyId: 'AKIAABCDEFGHIJKLMNOP', secretAccessKey: 'x'.repeat(40) }, sessionToken?: string) {
  const outcome = await checkAwsCredential({ ...key, sessionToken, region: 'us-east-1', endpointUrl }, OPTS);
  if (outcome.status === 'VALID') throw new Error('expected a failure');
  const fields = { region: 'us-east-1', endpointUrl };
  return { outcome, diagnosis: diagnose({ provider: 'AWS', status: outcome.status, error: outcome.error, fields }) };
}

describe('local conditions', () => {
  it('DNS failure: a host name that does not resolve', async () => {
    const { outcome, diagnosis } = await checkAt('http://keyward-catalog-test.invalid');
    expect(outcome.status).toBe('UNREACHABLE');
    expect(['ENOTFOUND', 'EAI_AGAIN']).toContain(outcome.error.code);
    expect(diagnosis.cause).toBe(causeOf('network.dns'));
  });

  it('TLS certificate expired: a local HTTPS server with a certificate that ended in 2020', async () => {
    const url = await httpsWith(certificate(tempDir(), '20200101000000Z', '20200102000000Z'));
    const { outcome, diagnosis } = await checkAt(url);
    expect(outcome).toMatchObject({ status: 'UNREACHABLE', error: { code: 'CERT_HAS_EXPIRED' } });
    expect(diagnosis.cause).toBe(causeOf('tls.expired'));
  });

  it('TLS certificate untrusted: a valid self-signed certificate', async () => {
    const url = await httpsWith(certificate(tempDir(), '20240101000000Z', '20991231000000Z'));
    const { outcome, diagnosis } = await checkAt(url);
    expect(outcome).toMatchObject({ status: 'UNREACHABLE', error: { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' } });
    expect(diagnosis.cause).toBe(causeOf('tls.untrusted'));
  });
});

describe('AWS errors from the test server', () => {
  it('expired token: session credentials past their expiry', async () => {
    aws.state.createUser('temp-user');
    const s = aws.state.createSessionCredentials('temp-user', { expiresAt: new Date(Date.now() - 60_000) });
    const { outcome, diagnosis } = await checkAt(aws.url, s, s.sessionToken);
    expect(outcome).toMatchObject({ status: 'INVALID', error: { code: 'ExpiredToken' } });
    expect(diagnosis.cause).toBe(causeOf('aws.expired-token'));
  });

  it('EC2 AuthFailure: an inactive key on DescribeSecurityGroups', async () => {
    aws.state.createUser('ec2-user');
    const k = aws.state.createAccessKey('ec2-user');
    aws.state.setAccessKeyStatus(k.accessKeyId, 'Inactive');
    const r = await describeGroup({ ...k, region: 'us-east-1', endpointUrl: aws.url }, 'sg-0a1b2c3d', OPTS);
    expect(r.found).toBe(false);
    const v = classifyAwsError(!r.found && r.error);
    expect(v).toMatchObject({ kind: 'INVALID', error: { code: 'AuthFailure' } });
    expect(findEntry('AWS', v.error)?.id).toBe('aws.auth-failure');
  });

  it('UnauthorizedOperation and malformed group ids reach their entries', async () => {
    aws.state.createUser('narrow', { allow: ['sts:*'] });
    const k = aws.state.createAccessKey('narrow');
    const parts = { ...k, region: 'us-east-1', endpointUrl: aws.url };
    const denied = await describeGroup(parts, 'sg-0a1b2c3d', OPTS);
    const dv = classifyAwsError(!denied.found && denied.error);
    expect(dv.error.code).toBe('UnauthorizedOperation');
    expect(findEntry('AWS', dv.error)?.id).toBe('aws.access-denied');
    aws.state.setUserPolicy('narrow', { allow: ['*'] });
    const bad = await describeGroup(parts, 'sg-nothex!', OPTS);
    const bv = classifyAwsError(!bad.found && bad.error);
    expect(bv.error.code).toBe('InvalidGroupId.Malformed');
    expect(findEntry('AWS', bv.error)?.id).toBe('aws.group-id-malformed');
    const missing = await describeGroup(parts, 'sg-0a1b2c3d', OPTS);
    const mv = classifyAwsError(!missing.found && missing.error);
    expect(findEntry('AWS', mv.error)?.id).toBe('aws.group-not-found');
  });
});
