import { newAccessKeyId, newAccountId, newSecretAccessKey, newSecurityGroupRuleId, newSessionKeyId, newSessionToken, newUserId } from './ids';
import { KmsKeys } from './kms';
import type { PermissionSet } from './permissions';
import type { SecretRecord } from './secrets-manager';
import { snapshotOf, type StateSnapshot } from './snapshot';
import type { ParameterRecord } from './ssm';
import type { AccessKeyStatus } from './types';

export const DEFAULT_ACCOUNT = '123456789012';
/** AWS allows at most two access keys per IAM user. */
export const ACCESS_KEYS_PER_USER = 2;

const SECURITY_GROUP_ID = /^sg-(?:[0-9a-f]{8}|[0-9a-f]{17})$/;
export const isSecurityGroupId = (id: string): boolean => SECURITY_GROUP_ID.test(id);

export interface IamUser {
  account: string;
  userName: string;
  userId: string;
  path: string;
  arn: string;
  createDate: Date;
  permissions: PermissionSet;
}

export interface KeyUse {
  service: string;
  region: string;
  at: Date;
}

export interface AccessKeyRecord {
  accessKeyId: string;
  secretAccessKey: string;
  account: string;
  userName: string;
  status: AccessKeyStatus;
  createDate: Date;
  /** Keys made through the IAM API are subject to the propagation delay; seeded keys are not. */
  createdViaApi: boolean;
  lastUsed?: KeyUse;
}

export interface SessionRecord {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  account: string;
  userName: string;
  expiresAt: Date;
}

/** Where an ingress/egress rule lets traffic come from. */
export type RuleSource = { kind: 'cidr'; cidr: string } | { kind: 'cidr6'; cidr: string } | { kind: 'group'; groupId: string; userId?: string } | { kind: 'prefix-list'; prefixListId: string };

/** One atomic security group rule: a protocol, a port range and one source. */
export interface SecurityGroupRule {
  ruleId: string;
  /** '-1' (all), 'tcp', 'udp', 'icmp', 'icmpv6' or an IP protocol number. */
  protocol: string;
  fromPort?: number;
  toPort?: number;
  source: RuleSource;
  description?: string;
}

export interface SecurityGroupRecord {
  groupId: string;
  region: string;
  account: string;
  groupName: string;
  vpcId: string;
  description: string;
  /** In a default VPC, revoking an unknown rule is reported, not refused (AWS's documented split). */
  isDefaultVpc: boolean;
  ingress: SecurityGroupRule[];
  egress: SecurityGroupRule[];
}

export interface CreateUserOptions {
  account?: string;
  path?: string;
  /** Action patterns such as 'sts:*', 'iam:ListAccessKeys', 'ec2:Describe*'. Default ['*']. */
  allow?: string[];
  deny?: string[];
}

export interface CreateAccessKeyOptions {
  status?: AccessKeyStatus;
  createDate?: Date;
  account?: string;
  /** Fixed credentials, for seeds that need to be reproducible. */
  accessKeyId?: string;
  secretAccessKey?: string;
}

export interface AddSecurityGroupInput {
  groupId: string;
  region: string;
  account?: string;
  groupName?: string;
  vpcId?: string;
  description?: string;
  isDefaultVpc?: boolean;
}

export interface AccessKeySummary {
  accessKeyId: string;
  status: AccessKeyStatus;
  createDate: Date;
  lastUsed?: KeyUse;
}

const userKey = (account: string, userName: string): string => `${account}/${userName}`;
const groupKey = (account: string, region: string, groupId: string): string => `${account}/${region}/${groupId}`;

/**
 * Everything the fake AWS knows: accounts, IAM users and their keys, temporary credentials and
 * security groups. Synchronous and in memory, so tests can arrange a scenario in a few lines.
 * Methods throw plain Errors for impossible setups; AWS-shaped errors are the handlers' job.
 */
export class AwsState {
  /** Keys created through the IAM API are rejected until this long after their creation. */
  propagationDelayMs: number;

  private readonly accounts = new Set<string>([DEFAULT_ACCOUNT]);
  private readonly users = new Map<string, IamUser>();
  private readonly keys = new Map<string, AccessKeyRecord>();
  private readonly sessions = new Map<string, SessionRecord>();
  private readonly mfaDevices = new Map<string, { account: string; userName: string; code: string }>();
  private readonly groups = new Map<string, SecurityGroupRecord>();
  /** SSM parameters by `account/region/name` (ssm.ts); values of SecureStrings are ciphertext. */
  readonly parameters = new Map<string, ParameterRecord>();
  /** Secrets Manager secrets by `account/region/name` (secrets-manager.ts). */
  readonly secrets = new Map<string, SecretRecord>();
  /** KMS keys SSM and Secrets Manager encrypt under: `state.kms.create({ account, region, alias })`. */
  readonly kms = new KmsKeys();

  constructor(options: { propagationDelayMs?: number } = {}) {
    this.propagationDelayMs = options.propagationDelayMs ?? 0;
  }

  // --- accounts ---------------------------------------------------------------------------

  /** Registers an account. Without an id, a fresh random 12-digit one is made. */
  createAccount(accountId?: string): string {
    if (accountId !== undefined && !/^\d{12}$/.test(accountId)) {
      throw new Error(`Account id must be 12 digits, got '${accountId}'`);
    }
    let id = accountId ?? newAccountId();
    while (accountId === undefined && this.accounts.has(id)) id = newAccountId();
    this.accounts.add(id);
    return id;
  }

  listAccounts(): string[] {
    return [...this.accounts].sort();
  }

  // --- users --------------------------------------------------------------------------------

  createUser(userName: string, opts: CreateUserOptions = {}): IamUser {
    const account = this.createAccount(opts.account ?? DEFAULT_ACCOUNT);
    if (!/^[\w+=,.@-]{1,64}$/.test(userName)) throw new Error(`Invalid IAM user name '${userName}'`);
    if (this.users.has(userKey(account, userName))) {
      throw new Error(`User '${userName}' already exists in account ${account}`);
    }
    const path = opts.path ?? '/';
    if (!path.startsWith('/') || !path.endsWith('/')) throw new Error(`IAM path must start and end with '/': '${path}'`);
    const user: IamUser = {
      account,
      userName,
      userId: newUserId(),
      path,
      arn: `arn:aws:iam::${account}:user${path}${userName}`,
      createDate: new Date(),
      permissions: { allow: [...(opts.allow ?? ['*'])], deny: [...(opts.deny ?? [])] },
    };
    this.users.set(userKey(account, userName), user);
    return user;
  }

  getUser(userName: string, account: string = DEFAULT_ACCOUNT): IamUser | undefined {
    return this.users.get(userKey(account, userName));
  }

  /** Users of one account, in the order IAM lists them (by name). */
  listUsers(account: string = DEFAULT_ACCOUNT): IamUser[] {
    return [...this.users.values()].filter((u) => u.account === account).sort((a, b) => (a.userName < b.userName ? -1 : a.userName > b.userName ? 1 : 0));
  }

  /** Users of every account. */
  allUsers(): IamUser[] {
    return [...this.users.values()];
  }

  /** Deletes the user and, unlike AWS (which refuses while keys exist), its keys and sessions too. */
  deleteUser(userName: string, account: string = DEFAULT_ACCOUNT): void {
    this.requireUser(userName, account);
    for (const key of [...this.keys.values()]) {
      if (key.account === account && key.userName === userName) this.keys.delete(key.accessKeyId);
    }
    for (const session of [...this.sessions.values()]) {
      if (session.account === account && session.userName === userName) this.sessions.delete(session.accessKeyId);
    }
    this.users.delete(userKey(account, userName));
  }

  setUserPolicy(userName: string, policy: { allow?: string[]; deny?: string[] }, account: string = DEFAULT_ACCOUNT): void {
    const user = this.requireUser(userName, account);
    user.permissions = { allow: [...(policy.allow ?? [])], deny: [...(policy.deny ?? [])] };
  }

  // --- long-term access keys ----------------------------------------------------------------

  createAccessKey(userName: string, opts: CreateAccessKeyOptions & { viaApi?: boolean } = {}): { accessKeyId: string; secretAccessKey: string } {
    const account = opts.account ?? DEFAULT_ACCOUNT;
    this.requireUser(userName, account);
    if (this.keysOf(userName, account).length >= ACCESS_KEYS_PER_USER) {
      throw new Error(`User '${userName}' already has ${ACCESS_KEYS_PER_USER} access keys (the AWS quota)`);
    }
    const accessKeyId = opts.accessKeyId ?? this.uniqueKeyId(newAccessKeyId);
    if (this.keys.has(accessKeyId) || this.sessions.has(accessKeyId)) throw new Error(`Access key ${accessKeyId} already exists`);
    const secretAccessKey = opts.secretAccessKey ?? newSecretAccessKey();
    this.keys.set(accessKeyId, {
      accessKeyId,
      secretAccessKey,
      account,
      userName,
      status: opts.status ?? 'Active',
      createDate: opts.createDate ?? new Date(),
      createdViaApi: opts.viaApi ?? false,
    });
    return { accessKeyId, secretAccessKey };
  }

  getAccessKey(accessKeyId: string): AccessKeyRecord | undefined {
    return this.keys.get(accessKeyId);
  }

  setAccessKeyStatus(accessKeyId: string, status: AccessKeyStatus): void {
    this.requireKey(accessKeyId).status = status;
  }

  deleteAccessKey(accessKeyId: string): void {
    this.requireKey(accessKeyId);
    this.keys.delete(accessKeyId);
  }

  /** A user's keys, oldest first. */
  keysOf(userName: string, account: string = DEFAULT_ACCOUNT): AccessKeyRecord[] {
    return [...this.keys.values()].filter((k) => k.account === account && k.userName === userName).sort((a, b) => a.createDate.getTime() - b.createDate.getTime());
  }

  listAccessKeys(userName: string, account: string = DEFAULT_ACCOUNT): AccessKeySummary[] {
    this.requireUser(userName, account);
    return this.keysOf(userName, account).map((k) => ({
      accessKeyId: k.accessKeyId,
      status: k.status,
      createDate: k.createDate,
      ...(k.lastUsed ? { lastUsed: { ...k.lastUsed } } : {}),
    }));
  }

  /** Whether IAM's eventual consistency still hides this key from authentication. */
  isPropagating(key: AccessKeyRecord, now: Date): boolean {
    return key.createdViaApi && now.getTime() < key.createDate.getTime() + this.propagationDelayMs;
  }

  /** Records a use of a key (done automatically for every authenticated call). Unknown ids are ignored. */
  recordKeyUse(accessKeyId: string, use: KeyUse): void {
    const key = this.keys.get(accessKeyId);
    if (key) key.lastUsed = { service: use.service, region: use.region, at: new Date(use.at) };
  }

  // --- temporary credentials -----------------------------------------------------------------

  createSessionCredentials(userName: string, opts: { expiresAt: Date; account?: string }): { accessKeyId: string; secretAccessKey: string; sessionToken: string } {
    const account = opts.account ?? DEFAULT_ACCOUNT;
    this.requireUser(userName, account);
    const session: SessionRecord = {
      accessKeyId: this.uniqueKeyId(newSessionKeyId),
      secretAccessKey: newSecretAccessKey(),
      sessionToken: newSessionToken(),
      account,
      userName,
      expiresAt: new Date(opts.expiresAt),
    };
    this.sessions.set(session.accessKeyId, session);
    return { accessKeyId: session.accessKeyId, secretAccessKey: session.secretAccessKey, sessionToken: session.sessionToken };
  }

  getSession(accessKeyId: string): SessionRecord | undefined {
    return this.sessions.get(accessKeyId);
  }

  listSessions(): SessionRecord[] {
    return [...this.sessions.values()];
  }

  /** A virtual MFA device of a user that accepts one fixed code (a test knows it). Returns its serial (ARN). */
  addMfaDevice(userName: string, opts: { code: string; account?: string }): string {
    const user = this.requireUser(userName, opts.account ?? DEFAULT_ACCOUNT);
    const serial = `arn:aws:iam::${user.account}:mfa/${userName}`;
    this.mfaDevices.set(serial, { account: user.account, userName, code: opts.code });
    return serial;
  }

  getMfaDevice(serial: string): { account: string; userName: string; code: string } | undefined {
    return this.mfaDevices.get(serial);
  }

  // --- security groups -------------------------------------------------------------------------

  /** Registers a security group in one account and region. New groups carry AWS's default allow-all egress rule. */
  addSecurityGroup(input: AddSecurityGroupInput): SecurityGroupRecord {
    if (!isSecurityGroupId(input.groupId)) throw new Error(`Malformed security group id '${input.groupId}'`);
    const account = this.createAccount(input.account ?? DEFAULT_ACCOUNT);
    const key = groupKey(account, input.region, input.groupId);
    if (this.groups.has(key)) throw new Error(`Security group ${input.groupId} already exists in ${input.region}`);
    const group: SecurityGroupRecord = {
      groupId: input.groupId,
      region: input.region,
      account,
      groupName: input.groupName ?? input.groupId,
      vpcId: input.vpcId ?? 'vpc-0a1b2c3d4e5f60718',
      description: input.description ?? `Security group ${input.groupId}`,
      isDefaultVpc: input.isDefaultVpc ?? false,
      ingress: [],
      egress: [{ ruleId: newSecurityGroupRuleId(), protocol: '-1', source: { kind: 'cidr', cidr: '0.0.0.0/0' } }],
    };
    this.groups.set(key, group);
    return group;
  }

  getSecurityGroup(account: string, region: string, groupId: string): SecurityGroupRecord | undefined {
    return this.groups.get(groupKey(account, region, groupId));
  }

  /** Groups visible to one account in one region, sorted by id. */
  listSecurityGroups(account: string, region: string): SecurityGroupRecord[] {
    return [...this.groups.values()].filter((g) => g.account === account && g.region === region).sort((a, b) => (a.groupId < b.groupId ? -1 : 1));
  }

  /** Every group in every region; for admin views. */
  allSecurityGroups(): SecurityGroupRecord[] {
    return [...this.groups.values()];
  }

  // --- whole-state helpers -----------------------------------------------------------------------

  /** Forgets everything except the default account. */
  reset(): void {
    this.accounts.clear();
    this.accounts.add(DEFAULT_ACCOUNT);
    this.users.clear();
    this.keys.clear();
    this.sessions.clear();
    this.mfaDevices.clear();
    this.groups.clear();
    this.parameters.clear();
    this.secrets.clear();
    this.kms.clear();
  }

  /** A JSON-safe view for the admin API: users, keys and groups, never a secret or session token. */
  snapshot(): StateSnapshot {
    return snapshotOf(this);
  }

  // --- internals -----------------------------------------------------------------------------------

  private requireUser(userName: string, account: string): IamUser {
    const user = this.getUser(userName, account);
    if (!user) throw new Error(`No IAM user '${userName}' in account ${account}`);
    return user;
  }

  private requireKey(accessKeyId: string): AccessKeyRecord {
    const key = this.keys.get(accessKeyId);
    if (!key) throw new Error(`No access key ${accessKeyId}`);
    return key;
  }

  private uniqueKeyId(make: () => string): string {
    let id = make();
    while (this.keys.has(id) || this.sessions.has(id)) id = make();
    return id;
  }
}
