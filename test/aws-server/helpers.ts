import { EC2Client } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import { STSClient } from '@aws-sdk/client-sts';
import { afterEach } from 'vitest';
import { signRequest, startAwsTestServer, type AwsTestServer, type AwsTestServerOptions } from '../support/aws-server';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export interface ClientOptions {
  region?: string;
  maxAttempts?: number;
  systemClockOffset?: number;
}

/** Real SDK clients pointed at the test server. One attempt by default, so faults surface. */
export function clientsFor(server: AwsTestServer, credentials: Credentials, options: ClientOptions = {}) {
  const config = {
    endpoint: server.url,
    region: options.region ?? 'us-east-1',
    credentials,
    maxAttempts: options.maxAttempts ?? 1,
    ...(options.systemClockOffset !== undefined ? { systemClockOffset: options.systemClockOffset } : {}),
  };
  return { sts: new STSClient(config), iam: new IAMClient(config), ec2: new EC2Client(config) };
}

/** Real SSM and Secrets Manager (awsJson1_1) clients pointed at the test server; one attempt by default. */
export function jsonClientsFor(server: AwsTestServer, credentials: Credentials, options: ClientOptions = {}) {
  const config = { endpoint: server.url, region: options.region ?? 'us-east-1', credentials, maxAttempts: options.maxAttempts ?? 1 };
  return { ssm: new SSMClient(config), secrets: new SecretsManagerClient(config) };
}

// Servers started by a test are closed after it, whatever its outcome.
const running: AwsTestServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

/** Starts a server that is closed automatically after the current test. */
export async function startServer(options: AwsTestServerOptions = {}): Promise<AwsTestServer> {
  const server = await startAwsTestServer(options);
  running.push(server);
  return server;
}

/** A server with user `alice` (full access) and one active key, plus her SDK clients. */
export async function startWithAlice(options: AwsTestServerOptions = {}, clientOptions: ClientOptions = {}) {
  const server = await startServer(options);
  server.state.createUser('alice');
  const credentials = server.state.createAccessKey('alice');
  return { server, credentials, ...clientsFor(server, credentials, clientOptions) };
}

/** A server with user `alice` holding these permissions and one active key, plus her SSM and Secrets Manager clients. */
export async function startWithJsonClients(permissions: { allow?: string[]; deny?: string[] } = {}, clientOptions: ClientOptions = {}) {
  const server = await startServer();
  server.state.createUser('alice', permissions);
  const credentials = server.state.createAccessKey('alice');
  return { server, credentials, ...jsonClientsFor(server, credentials, clientOptions) };
}

/** The SDK's error, with the parts tests assert on. */
export async function errorOf(promise: Promise<unknown>): Promise<Error & { name: string; $metadata: { httpStatusCode?: number; requestId?: string } }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { name: string; $metadata: { httpStatusCode?: number; requestId?: string } };
  }
  throw new Error('expected the call to fail');
}

export interface RawResponse {
  status: number;
  headers: Headers;
  body: string;
}

/** A hand-built query-protocol POST, signed by our own signer and optionally tampered with after signing. */
export async function rawCall(
  server: AwsTestServer,
  input: {
    service: 'sts' | 'iam' | 'ec2';
    body: string;
    credentials?: Credentials;
    region?: string;
    date?: Date;
    tamper?: (headers: Record<string, string>, body: string) => { headers: Record<string, string>; body: string };
  },
): Promise<RawResponse> {
  const url = new URL('/', server.url);
  let headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
  let body = input.body;
  if (input.credentials) {
    headers = signRequest({
      method: 'POST',
      url,
      headers,
      body,
      accessKeyId: input.credentials.accessKeyId,
      secretAccessKey: input.credentials.secretAccessKey,
      sessionToken: input.credentials.sessionToken,
      region: input.region ?? 'us-east-1',
      service: input.service,
      date: input.date,
    });
  }
  if (input.tamper) ({ headers, body } = input.tamper(headers, body));
  delete headers.host; // fetch sets Host itself; it is the same value we signed.
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

/** A hand-built awsJson1_1 POST (`X-Amz-Target: target`), signed by our own signer, optionally tampered with after signing. */
export async function rawJsonCall(
  server: AwsTestServer,
  input: {
    service: 'ssm' | 'secretsmanager';
    target: string;
    body: string;
    credentials?: Credentials;
    tamper?: (headers: Record<string, string>, body: string) => { headers: Record<string, string>; body: string };
  },
): Promise<RawResponse> {
  const url = new URL('/', server.url);
  let headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': input.target };
  let body = input.body;
  if (input.credentials) {
    headers = signRequest({ method: 'POST', url, headers, body, ...input.credentials, region: 'us-east-1', service: input.service });
  }
  if (input.tamper) ({ headers, body } = input.tamper(headers, body));
  delete headers.host;
  const response = await fetch(url, { method: 'POST', headers, body });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

/** The <Code> of an XML error body. */
export const codeOf = (xml: string): string | undefined => /<Code>([^<]*)<\/Code>/.exec(xml)?.[1];
export const messageOf = (xml: string): string | undefined => /<Message>([^<]*)<\/Message>/.exec(xml)?.[1];
