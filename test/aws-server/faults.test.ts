import { DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import { ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { describe, expect, it } from 'vitest';
import { clientsFor, errorOf, startWithAlice } from './helpers';

describe('injected faults', () => {
  it('throttles STS with 400 Throttling "Rate exceeded"', async () => {
    const { server, sts } = await startWithAlice();
    server.faults.add({ service: 'sts', kind: 'throttle' });

    const error = await errorOf(sts.send(new GetCallerIdentityCommand({})));

    expect([error.name, error.message, error.$metadata.httpStatusCode]).toEqual(['Throttling', 'Rate exceeded', 400]);
  });

  it('throttles EC2 with 503 RequestLimitExceeded', async () => {
    const { server, ec2 } = await startWithAlice();
    server.faults.add({ service: 'ec2', kind: 'throttle' });

    const error = await errorOf(ec2.send(new DescribeSecurityGroupsCommand({})));

    expect([error.name, error.message, error.$metadata.httpStatusCode]).toEqual(['RequestLimitExceeded', 'Request limit exceeded.', 503]);
  });

  it('fails with 500 InternalFailure (IAM) and InternalError (EC2), or 503 on request', async () => {
    const { server, iam, ec2, sts } = await startWithAlice();
    server.faults.add({ service: 'iam', kind: '5xx' });
    server.faults.add({ service: 'ec2', kind: '5xx' });
    server.faults.add({ service: 'sts', kind: '5xx', status: 503 });

    const iamError = await errorOf(iam.send(new ListAccessKeysCommand({})));
    const ec2Error = await errorOf(ec2.send(new DescribeSecurityGroupsCommand({})));
    const stsError = await errorOf(sts.send(new GetCallerIdentityCommand({})));

    expect([iamError.name, iamError.$metadata.httpStatusCode]).toEqual(['InternalFailure', 500]);
    expect([ec2Error.name, ec2Error.$metadata.httpStatusCode]).toEqual(['InternalError', 500]);
    expect([stsError.name, stsError.$metadata.httpStatusCode]).toEqual(['ServiceUnavailable', 503]);
  });

  it('lets the SDK retry through two throttled attempts and succeed on the third', async () => {
    const { server, credentials } = await startWithAlice();
    const { sts } = clientsFor(server, credentials, { maxAttempts: 3 });
    server.faults.add({ service: 'sts', kind: 'throttle', times: 2 });

    const identity = await sts.send(new GetCallerIdentityCommand({}));

    expect(identity.$metadata.attempts).toBe(3);
    expect(server.requests.map((r) => r.errorCode ?? r.status)).toEqual(['Throttling', 'Throttling', 200]);
  });

  it('lets the SDK retry through a 5xx', async () => {
    const { server, credentials } = await startWithAlice();
    const { ec2 } = clientsFor(server, credentials, { maxAttempts: 3 });
    server.faults.add({ service: 'ec2', action: 'DescribeSecurityGroups', kind: '5xx', times: 1 });

    const result = await ec2.send(new DescribeSecurityGroupsCommand({}));

    expect(result.$metadata.attempts).toBe(2);
  });

  it('matches faults by service and action only', async () => {
    const { server, sts, iam } = await startWithAlice();
    server.faults.add({ service: 'iam', action: 'CreateAccessKey', kind: 'throttle' });

    await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toBeDefined();
    await expect(iam.send(new ListAccessKeysCommand({}))).resolves.toBeDefined();
  });

  it('drops the connection without a response', async () => {
    const { server, sts } = await startWithAlice();
    server.faults.add({ kind: 'drop', times: 1 });

    const error = await errorOf(sts.send(new GetCallerIdentityCommand({})));

    expect(error.$metadata?.httpStatusCode).toBeUndefined();
    expect((error as Error & { code?: string }).code).toBe('ECONNRESET');
    expect(server.requests[0]).toMatchObject({ action: 'GetCallerIdentity', status: 0, fault: 'drop' });
  });

  it('never answers a timed-out request, leaving the client to give up', async () => {
    const { server, credentials } = await startWithAlice();
    server.faults.add({ kind: 'timeout' });
    const sts = new STSClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials,
      maxAttempts: 1,
      // In this SDK version requestTimeout only warns unless throwOnRequestTimeout is set.
      requestHandler: new NodeHttpHandler({ requestTimeout: 150, throwOnRequestTimeout: true }),
    });

    const started = Date.now();
    const error = await errorOf(sts.send(new GetCallerIdentityCommand({})));

    expect(error.name).toBe('TimeoutError');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('delays matching responses by a latency fault', async () => {
    const { server, sts, iam } = await startWithAlice();
    server.faults.add({ service: 'sts', kind: 'latency', latencyMs: 120 });

    let started = Date.now();
    await sts.send(new GetCallerIdentityCommand({}));
    const stsTook = Date.now() - started;
    started = Date.now();
    await iam.send(new ListAccessKeysCommand({}));
    const iamTook = Date.now() - started;

    expect(stsTook).toBeGreaterThanOrEqual(115);
    expect(iamTook).toBeLessThan(100);
  });

  it('delays concurrent requests in parallel under global latency', async () => {
    const { sts } = await startWithAlice({ latencyMs: 50 });
    await sts.send(new GetCallerIdentityCommand({})); // warm up the connection pool and module loading

    const started = Date.now();
    await Promise.all(Array.from({ length: 16 }, () => sts.send(new GetCallerIdentityCommand({}))));
    const took = Date.now() - started;

    expect(took).toBeGreaterThanOrEqual(48);
    expect(took).toBeLessThan(400);
  });

  it('stops faulting once cleared', async () => {
    const { server, sts } = await startWithAlice();
    server.faults.add({ kind: 'throttle' });
    server.faults.clear();

    await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toBeDefined();
  });
});
