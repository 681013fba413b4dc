import type { AddSecurityGroupInput, AwsState } from './state';
import type { AccessKeyStatus } from './types';

/**
 * A scenario described as data, for the standalone server's --seed file and the admin API:
 * `{ users: [{ userName, keys: [{ status }] }], securityGroups: [{ groupId, region }] }`.
 */
export interface SeedKey {
  accessKeyId?: string;
  secretAccessKey?: string;
  status?: AccessKeyStatus;
  /** ISO-8601. */
  createDate?: string;
}

export interface SeedUser {
  userName: string;
  account?: string;
  path?: string;
  allow?: string[];
  deny?: string[];
  keys?: SeedKey[];
}

export interface Seed {
  accounts?: string[];
  propagationDelayMs?: number;
  users?: SeedUser[];
  securityGroups?: AddSecurityGroupInput[];
}

export interface SeededKey {
  userName: string;
  account: string;
  accessKeyId: string;
  secretAccessKey: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const stringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** Checks the shape of parsed JSON before it touches the state, so a typo fails loudly. */
export function parseSeed(value: unknown): Seed {
  if (!isRecord(value)) throw new Error('Seed must be a JSON object');
  const { accounts, users, securityGroups, propagationDelayMs } = value;
  if (accounts !== undefined && !stringArray(accounts)) throw new Error('seed.accounts must be an array of strings');
  if (propagationDelayMs !== undefined && typeof propagationDelayMs !== 'number') throw new Error('seed.propagationDelayMs must be a number');
  if (users !== undefined && !(Array.isArray(users) && users.every((u) => isRecord(u) && typeof u.userName === 'string'))) {
    throw new Error('seed.users must be an array of objects with a userName');
  }
  if (securityGroups !== undefined && !(Array.isArray(securityGroups) && securityGroups.every((g) => isRecord(g) && typeof g.groupId === 'string' && typeof g.region === 'string'))) {
    throw new Error('seed.securityGroups must be an array of objects with groupId and region');
  }
  return value as Seed;
}

/** Applies a seed and returns the credentials of every key it made (for the caller to hand to tests). */
export function applySeed(state: AwsState, seed: Seed): SeededKey[] {
  for (const account of seed.accounts ?? []) state.createAccount(account);
  if (seed.propagationDelayMs !== undefined) state.propagationDelayMs = seed.propagationDelayMs;
  const made: SeededKey[] = [];
  for (const user of seed.users ?? []) {
    const created = state.createUser(user.userName, { account: user.account, path: user.path, allow: user.allow, deny: user.deny });
    for (const key of user.keys ?? []) {
      const creds = state.createAccessKey(user.userName, {
        account: created.account,
        status: key.status,
        accessKeyId: key.accessKeyId,
        secretAccessKey: key.secretAccessKey,
        ...(key.createDate ? { createDate: new Date(key.createDate) } : {}),
      });
      made.push({ userName: user.userName, account: created.account, ...creds });
    }
  }
  for (const group of seed.securityGroups ?? []) state.addSecurityGroup(group);
  return made;
}
