import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUsersCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { awsClientConfig, type AwsCredentialParts } from '../providers/aws/client';
import type { CheckOptions } from '../providers/types';
import { awsCodeOf, iamFailure } from './errors';

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

export class IamCalls {
  private readonly iam: IAMClient;
  private readonly sts: STSClient;

  constructor(
    private readonly acting: AwsCredentialParts,
    private readonly step: string,
    private readonly userName: string,
    opts: CallOptions,
  ) {
    // IAM is a global service; its endpoint is the credential's own when it has one.
    this.iam = new IAMClient(awsClientConfig({ ...acting, region: 'us-east-1' }, opts));
    this.sts = new STSClient(awsClientConfig(acting, opts));
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
    const out = await this.call('GetCallerIdentity', () => this.sts.send(new GetCallerIdentityCommand({})));
    const arn = out.Arn ?? '';
    const m = /^arn:aws[\w-]*:iam::\d+:user\/(?:.*\/)?([^/]+)$/.exec(arn);
    return { userName: m?.[1] ?? '', arn, account: out.Account ?? '' };
  }

  async listUsers(): Promise<IamUserInfo[]> {
    const users: IamUserInfo[] = [];
    let marker: string | undefined;
    do {
      const out = await this.call('ListUsers', () => this.iam.send(new ListUsersCommand({ Marker: marker })));
      for (const u of out.Users ?? []) users.push({ userName: u.UserName ?? '', arn: u.Arn ?? '', createdAt: u.CreateDate?.toISOString() ?? null });
      marker = out.IsTruncated ? out.Marker : undefined;
    } while (marker);
    return users;
  }

  /** The user's keys, as the console's Security credentials tab shows them. */
  async listKeys(opts: { lastUsed?: boolean } = {}): Promise<AccessKeyInfo[]> {
    const out = await this.call('ListAccessKeys', () => this.iam.send(new ListAccessKeysCommand({ UserName: this.userName })));
    const keys: AccessKeyInfo[] = (out.AccessKeyMetadata ?? []).map((k) => ({
      accessKeyId: k.AccessKeyId ?? '',
      status: k.Status === 'Inactive' ? 'Inactive' : 'Active',
      createdAt: k.CreateDate?.toISOString() ?? '',
      lastUsed: null,
    }));
    if (opts.lastUsed) {
      await Promise.all(
        keys.map(async (k) => {
          const used = await this.call('GetAccessKeyLastUsed', () => this.iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: k.accessKeyId })));
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
    const out = await this.call('CreateAccessKey', () => this.iam.send(new CreateAccessKeyCommand({ UserName: this.userName })));
    return { accessKeyId: out.AccessKey?.AccessKeyId ?? '', secretAccessKey: out.AccessKey?.SecretAccessKey ?? '' };
  }

  async setStatus(accessKeyId: string, status: 'Active' | 'Inactive'): Promise<void> {
    await this.call('UpdateAccessKey', () => this.iam.send(new UpdateAccessKeyCommand({ UserName: this.userName, AccessKeyId: accessKeyId, Status: status })));
  }

  /** Deletes a key; a key already gone counts as deleted (steps are idempotent). */
  async deleteKey(accessKeyId: string): Promise<void> {
    try {
      await this.iam.send(new DeleteAccessKeyCommand({ UserName: this.userName, AccessKeyId: accessKeyId }));
    } catch (e) {
      if (awsCodeOf(e) === 'NoSuchEntity' && /access key/i.test((e as Error).message ?? '')) return;
      throw iamFailure(this.step, 'DeleteAccessKey', this.userName, e);
    }
  }
}
