import { createHash } from 'node:crypto';
import type { IAMClient } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { awsClientConfig, type AwsCredentialParts } from '../providers/aws/client';
import { iamSdk, type IamSdk } from '../providers/aws/sdk';
import type { CheckOptions } from '../providers/types';
import { awsCodeOf, iamFailure } from './errors';
import { DEFAULT_AWS_REGION } from '../../../shared/regions';

// The AWS calls a rotation makes, one function each, through the one AWS client config.
// Every failure becomes a diagnosed RotationStepError naming the step and the operation.

export interface AccessKeyInfo {
  accessKeyId: string;
  status: 'Active' | 'Inactive';
  createdAt: string;
  lastUsed: { at: string | null; service: string | null; region: string | null } | null;
}

export interface IamUserInfo {
  userName: string;
  arn: string;
  createdAt: string | null;
}

export type CallOptions = Pick<CheckOptions, 'timeoutMs' | 'maxAttempts'>;

interface Clients {
  sts: STSClient;
  iam: Promise<{ sdk: IamSdk; client: IAMClient }>;
}

/**
 * SDK clients by acting key: a rotation (or a fleet run) makes many small calls with the
 * same key, and building a client costs more than signing a request. A few dozen at most;
 * the secret is hashed into the key so an edited secret gets a new client.
 */
const clients = new Map<string, Clients>();
const MAX_CLIENTS = 64;

function clientsFor(acting: AwsCredentialParts, opts: CallOptions): Clients {
  const id = [
    acting.accessKeyId,
    createHash('sha256').update(acting.secretAccessKey).digest('hex').slice(0, 16),
    acting.sessionToken ?? '',
    acting.region,
    acting.endpointUrl ?? '',
    opts.timeoutMs,
    opts.maxAttempts,
  ].join('|');
  let c = clients.get(id);
  if (c) {
    clients.delete(id); // most recently used last
  } else {
    // IAM is a global service; its endpoint is the credential's own when it has one.
    c = {
      sts: new STSClient(awsClientConfig(acting, opts)),
      iam: iamSdk().then((sdk) => ({ sdk, client: new sdk.IAMClient(awsClientConfig({ ...acting, region: DEFAULT_AWS_REGION }, opts)) })),
    };
    if (clients.size >= MAX_CLIENTS) clients.delete(clients.keys().next().value as string);
  }
  clients.set(id, c);
  return c;
}

export class IamCalls {
  private readonly clients: Clients;

  constructor(
    acting: AwsCredentialParts,
    private readonly step: string,
    private readonly userName: string,
    opts: CallOptions,
  ) {
    this.clients = clientsFor(acting, opts);
  }

  /** The IAM client (the SDK module loads lazily, on first use). */
  private iam(): Promise<{ sdk: IamSdk; client: IAMClient }> {
    return this.clients.iam;
  }

  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      throw iamFailure(this.step, operation, this.userName, e);
    }
  }

  /** Who the acting key belongs to: the user name from its ARN (no IAM permission needed). */
  async callerUserName(): Promise<{ userName: string; arn: string; account: string }> {
    const out = await this.call('GetCallerIdentity', () => this.clients.sts.send(new GetCallerIdentityCommand({})));
    const arn = out.Arn ?? '';
    const m = /^arn:aws[\w-]*:iam::\d+:user\/(?:.*\/)?([^/]+)$/.exec(arn);
    return { userName: m?.[1] ?? '', arn, account: out.Account ?? '' };
  }

  async listUsers(): Promise<IamUserInfo[]> {
    const users: IamUserInfo[] = [];
    let marker: string | undefined;
    do {
      const { sdk, client } = await this.iam();
      const out = await this.call('ListUsers', () => client.send(new sdk.ListUsersCommand({ Marker: marker })));
      for (const u of out.Users ?? []) users.push({ userName: u.UserName ?? '', arn: u.Arn ?? '', createdAt: u.CreateDate?.toISOString() ?? null });
      marker = out.IsTruncated ? out.Marker : undefined;
    } while (marker);
    return users;
  }

  /** The user's keys, as the console's Security credentials tab shows them. */
  async listKeys(opts: { lastUsed?: boolean } = {}): Promise<AccessKeyInfo[]> {
    const { sdk, client } = await this.iam();
    const out = await this.call('ListAccessKeys', () => client.send(new sdk.ListAccessKeysCommand({ UserName: this.userName })));
    const keys: AccessKeyInfo[] = (out.AccessKeyMetadata ?? []).map((k) => ({
      accessKeyId: k.AccessKeyId ?? '',
      status: k.Status === 'Inactive' ? 'Inactive' : 'Active',
      createdAt: k.CreateDate?.toISOString() ?? '',
      lastUsed: null,
    }));
    if (opts.lastUsed) {
      await Promise.all(
        keys.map(async (k) => {
          const used = await this.call('GetAccessKeyLastUsed', () => client.send(new sdk.GetAccessKeyLastUsedCommand({ AccessKeyId: k.accessKeyId })));
          const l = used.AccessKeyLastUsed;
          k.lastUsed = {
            at: l?.LastUsedDate?.toISOString() ?? null,
            service: l?.ServiceName && l.ServiceName !== 'N/A' ? l.ServiceName : null,
            region: l?.Region && l.Region !== 'N/A' ? l.Region : null,
          };
        }),
      );
    }
    return keys;
  }

  /** The new key; its secret is returned once, here, as AWS shows it once. */
  async createKey(): Promise<{ accessKeyId: string; secretAccessKey: string }> {
    const { sdk, client } = await this.iam();
    const out = await this.call('CreateAccessKey', () => client.send(new sdk.CreateAccessKeyCommand({ UserName: this.userName })));
    return { accessKeyId: out.AccessKey?.AccessKeyId ?? '', secretAccessKey: out.AccessKey?.SecretAccessKey ?? '' };
  }

  async setStatus(accessKeyId: string, status: 'Active' | 'Inactive'): Promise<void> {
    const { sdk, client } = await this.iam();
    await this.call('UpdateAccessKey', () => client.send(new sdk.UpdateAccessKeyCommand({ UserName: this.userName, AccessKeyId: accessKeyId, Status: status })));
  }

  /** Deletes a key; a key already gone counts as deleted (steps are idempotent). */
  async deleteKey(accessKeyId: string): Promise<void> {
    const { sdk, client } = await this.iam();
    try {
      await client.send(new sdk.DeleteAccessKeyCommand({ UserName: this.userName, AccessKeyId: accessKeyId }));
    } catch (e) {
      if (awsCodeOf(e) === 'NoSuchEntity' && /access key/i.test((e as Error).message ?? '')) return;
      throw iamFailure(this.step, 'DeleteAccessKey', this.userName, e);
    }
  }
}
