import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { describe, expect, it } from 'vitest';
import type { StateSnapshot } from '../support/aws-server';
import { clientsFor, errorOf, startServer } from './helpers';

interface KeyJson {
  accessKeyId: string;
  secretAccessKey: string;
}

/** Calls the admin API as another process would, over HTTP with JSON. */
async function admin<T = Record<string, unknown>>(server: { url: string }, method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}/__admin/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, json: (await response.json()) as T };
}

describe('admin API', () => {
  it('creates users and keys that work against STS', async () => {
    const server = await startServer();

    const user = await admin(server, 'POST', 'users', { userName: 'ci-bot', allow: ['sts:*'] });
    const key = await admin<KeyJson>(server, 'POST', 'keys', { userName: 'ci-bot' });
    const identity = await clientsFor(server, key.json).sts.send(new GetCallerIdentityCommand({}));

    expect(user.status).toBe(201);
    expect(user.json).toMatchObject({ userName: 'ci-bot', arn: 'arn:aws:iam::123456789012:user/ci-bot' });
    expect(key.json.accessKeyId).toMatch(/^AKIA/);
    expect(identity.Arn).toBe('arn:aws:iam::123456789012:user/ci-bot');
  });

  it('changes, deletes and lists keys, never showing a secret', async () => {
    const server = await startServer();
    await admin(server, 'POST', 'users', { userName: 'ops' });
    const key = (await admin<KeyJson>(server, 'POST', 'keys', { userName: 'ops', createDate: '2025-06-01T00:00:00Z' })).json;

    expect((await admin(server, 'PATCH', `keys/${key.accessKeyId}`, { status: 'Inactive' })).status).toBe(200);
    const state = await admin<StateSnapshot>(server, 'GET', 'state');
    expect(JSON.stringify(state.json)).not.toContain(key.secretAccessKey);
    expect(state.json.users[0].keys).toEqual([{ accessKeyId: key.accessKeyId, status: 'Inactive', createDate: '2025-06-01T00:00:00.000Z' }]);

    await admin(server, 'DELETE', `keys/${key.accessKeyId}`);
    await admin(server, 'DELETE', 'users/ops');
    expect(server.state.getUser('ops')).toBeUndefined();
  });

  it('registers security groups, faults and config', async () => {
    const server = await startServer();
    await admin(server, 'POST', 'users', { userName: 'alice' });
    const key = (await admin<KeyJson>(server, 'POST', 'keys', { userName: 'alice' })).json;
    await admin(server, 'POST', 'security-groups', { groupId: 'sg-0123456789abcdef0', region: 'eu-west-1' });
    const fault = await admin(server, 'POST', 'faults', { service: 'ec2', kind: 'throttle', times: 1 });
    await admin(server, 'PUT', 'config', { latencyMs: 5, propagationDelayMs: 1000 });
    const { ec2 } = clientsFor(server, key, { region: 'eu-west-1' });

    const throttled = await errorOf(ec2.send(new DescribeSecurityGroupsCommand({})));
    const { SecurityGroups } = await ec2.send(new DescribeSecurityGroupsCommand({}));

    expect(fault.json.id).toEqual(expect.any(String));
    expect(throttled.name).toBe('RequestLimitExceeded');
    expect(SecurityGroups?.map((g) => g.GroupId)).toEqual(['sg-0123456789abcdef0']);
    expect(server.config.latencyMs).toBe(5);
    expect(server.state.propagationDelayMs).toBe(1000);
    expect((await admin(server, 'DELETE', 'faults')).status).toBe(200);
  });

  it('reports recorded requests with access key ids but no secrets', async () => {
    const server = await startServer();
    server.state.createUser('alice');
    const key = server.state.createAccessKey('alice');
    await clientsFor(server, key).sts.send(new GetCallerIdentityCommand({}));

    const { json } = await admin<unknown[]>(server, 'GET', 'requests');

    expect(json).toEqual([expect.objectContaining({ service: 'sts', action: 'GetCallerIdentity', accessKeyId: key.accessKeyId, status: 200, at: expect.any(String) })]);
    expect(JSON.stringify(json)).not.toContain(key.secretAccessKey);
  });

  it('answers bad input with 400 and unknown routes with 404', async () => {
    const server = await startServer();

    const missing = await admin(server, 'POST', 'keys', { userName: 'nobody' });
    const invalid = await admin(server, 'POST', 'faults', { kind: 'meteor' });
    const unknown = await admin(server, 'GET', 'nothing-here');

    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({ error: { code: 'BadRequest', message: "No IAM user 'nobody' in account 123456789012" } });
    expect(invalid.status).toBe(400);
    expect(unknown.status).toBe(404);
  });
});

describe('standalone server (main.ts)', () => {
  it('prints its URL, serves a seed, and stops on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aws-server-'));
    const seedFile = join(dir, 'seed.json');
    writeFileSync(
      seedFile,
      JSON.stringify({
        users: [{ userName: 'seeded', keys: [{ accessKeyId: 'AKIAEXAMPLESEED00001', secretAccessKey: 'seed-secret-0000000000000000000000000000' }] }],
        securityGroups: [{ groupId: 'sg-0123456789abcdef0', region: 'us-east-1' }],
      }),
    );
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/aws-server/main.ts', '--port', '0', '--seed', seedFile], {
      cwd: join(import.meta.dirname, '..', '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const [line] = await lines(child.stdout, 1);
      const started = JSON.parse(line) as { url: string; keys: Array<{ accessKeyId: string }> };
      expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(started.keys.map((k) => k.accessKeyId)).toEqual(['AKIAEXAMPLESEED00001']);

      const sts = new STSClient({
        endpoint: started.url,
        region: 'us-east-1',
        maxAttempts: 1,
        credentials: { accessKeyId: 'AKIAEXAMPLESEED00001', secretAccessKey: 'seed-secret-0000000000000000000000000000' },
      });
      expect((await sts.send(new GetCallerIdentityCommand({}))).Arn).toBe('arn:aws:iam::123456789012:user/seeded');
      expect((await admin(started, 'GET', 'state')).json).toMatchObject({ securityGroups: [{ groupId: 'sg-0123456789abcdef0' }] });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});

/** Reads the first `count` lines a child prints. */
function lines(stream: NodeJS.ReadableStream, count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const seen: string[] = [];
    const reader = createInterface({ input: stream });
    reader.on('line', (line) => {
      seen.push(line);
      if (seen.length === count) {
        reader.close();
        resolve(seen);
      }
    });
    reader.on('close', () => (seen.length < count ? reject(new Error(`stream ended after ${seen.length} lines`)) : undefined));
  });
}
