import type { AwsState, SecurityGroupRecord, SecurityGroupRule } from './state';
import type { AccessKeyStatus } from './types';

/** The state as plain JSON for the admin API. Secrets and session tokens are left out on purpose. */
export interface StateSnapshot {
  accounts: string[];
  propagationDelayMs: number;
  users: Array<{
    account: string;
    userName: string;
    userId: string;
    arn: string;
    path: string;
    createDate: string;
    allow: string[];
    deny: string[];
    keys: Array<{
      accessKeyId: string;
      status: AccessKeyStatus;
      createDate: string;
      lastUsed?: { service: string; region: string; at: string };
    }>;
  }>;
  sessions: Array<{ accessKeyId: string; account: string; userName: string; expiresAt: string }>;
  securityGroups: Array<Omit<SecurityGroupRecord, 'ingress' | 'egress'> & { ingress: SecurityGroupRule[]; egress: SecurityGroupRule[] }>;
  /** SSM parameters and Secrets Manager secrets: names, versions and labels, never a value. */
  parameters: Array<{ account: string; region: string; name: string; type: string; version: number; tier: string; keyId?: string }>;
  secrets: Array<{ account: string; region: string; name: string; arn: string; versionIdsToStages: Record<string, string[]>; deletionDate?: string }>;
}

export function snapshotOf(state: AwsState): StateSnapshot {
  return {
    accounts: state.listAccounts(),
    propagationDelayMs: state.propagationDelayMs,
    users: state.allUsers().map((u) => ({
      account: u.account,
      userName: u.userName,
      userId: u.userId,
      arn: u.arn,
      path: u.path,
      createDate: u.createDate.toISOString(),
      allow: [...u.permissions.allow],
      deny: [...u.permissions.deny],
      keys: state.keysOf(u.userName, u.account).map((k) => ({
        accessKeyId: k.accessKeyId,
        status: k.status,
        createDate: k.createDate.toISOString(),
        ...(k.lastUsed ? { lastUsed: { service: k.lastUsed.service, region: k.lastUsed.region, at: k.lastUsed.at.toISOString() } } : {}),
      })),
    })),
    sessions: state.listSessions().map((s) => ({
      accessKeyId: s.accessKeyId,
      account: s.account,
      userName: s.userName,
      expiresAt: s.expiresAt.toISOString(),
    })),
    securityGroups: state.allSecurityGroups().map((g) => ({
      groupId: g.groupId,
      region: g.region,
      account: g.account,
      groupName: g.groupName,
      vpcId: g.vpcId,
      description: g.description,
      isDefaultVpc: g.isDefaultVpc,
      ingress: g.ingress.map((r) => ({ ...r })),
      egress: g.egress.map((r) => ({ ...r })),
    })),
    parameters: [...state.parameters.values()].map((p) => {
      const v = p.versions[p.versions.length - 1];
      return { account: p.account, region: p.region, name: p.name, type: v.type, version: v.version, tier: v.tier, ...(v.keyId !== undefined ? { keyId: v.keyId } : {}) };
    }),
    secrets: [...state.secrets.values()].map((s) => ({
      account: s.account,
      region: s.region,
      name: s.name,
      arn: s.arn,
      versionIdsToStages: Object.fromEntries(s.versions.filter((v) => v.stages.length > 0).map((v) => [v.versionId, [...v.stages]])),
      ...(s.deletionDate ? { deletionDate: s.deletionDate.toISOString() } : {}),
    })),
  };
}
