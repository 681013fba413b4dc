import type { CheckError, Diagnosis, Identity } from '../../../shared/contract';
import { AWS_REGION_CODES } from '../../../shared/regions';
import { partitionOf, policyGranting } from '../policy/generate';
import { awsClientConfig, type AwsCredentialParts } from '../providers/aws/client';
import { ec2Sdk, iamSdk, stsSdk } from '../providers/aws/sdk';
import type { CheckOptions } from '../providers/types';
import { runPool } from '../verification/pool';
import { findEntry } from './diagnose';

// Context checks: turn an error code into a cause, with only the calls the credential
// (or, for key lookups, an admin credential of the same account) may make. Each returns
// null when it found nothing to add; the catalog's general diagnosis then stands.

type Opts = Omit<CheckOptions, 'signal'> & { signal?: AbortSignal };

const REGION_SEARCH_CONCURRENCY = 6;

const fill = (text: string, vars: Record<string, string>): string => text.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);

/** The catalog entry for a cause a context check found (`Context.*`), with its details filled in. */
function contextDiagnosis(code: string, vars: Record<string, string>, found: string): Partial<Diagnosis> {
  const entry = findEntry('AWS', { code, message: '' });
  if (!entry) return { found };
  return {
    cause: fill(entry.cause, vars),
    remedy: entry.remedy.map((step) => fill(step, vars)),
    ...(entry.test ? { test: fill(entry.test, vars) } : {}),
    link: entry.link ?? null,
    found,
  };
}

function sdkCode(e: unknown): string {
  const err = (e ?? {}) as { Code?: string; name?: string };
  return err.Code ?? err.name ?? 'UnknownError';
}

function deadline(opts: Opts): AbortSignal {
  const t = AbortSignal.timeout(opts.timeoutMs);
  return opts.signal ? AbortSignal.any([opts.signal, t]) : t;
}

/** DescribeSecurityGroups for one group in one region: 'found', 'missing', or the error. */
export async function describeGroup(parts: AwsCredentialParts, groupId: string, opts: Opts): Promise<{ found: true } | { found: false; error: unknown }> {
  const sdk = await ec2Sdk();
  const client = new sdk.EC2Client(awsClientConfig(parts, opts));
  try {
    const out = await client.send(new sdk.DescribeSecurityGroupsCommand({ GroupIds: [groupId] }), { abortSignal: deadline(opts) });
    if (out.SecurityGroups?.some((g) => g.GroupId === groupId)) return { found: true };
    return { found: false, error: Object.assign(new Error(`The security group '${groupId}' does not exist`), { name: 'InvalidGroup.NotFound', $metadata: { httpStatusCode: 400 } }) };
  } catch (e) {
    return { found: false, error: e };
  }
}

/** The other regions of the region's partition where the group exists. */
async function findGroupRegions(parts: AwsCredentialParts, groupId: string, opts: Opts): Promise<string[]> {
  const partition = partitionOf(parts.region);
  const others = AWS_REGION_CODES.filter((r) => r !== parts.region && partitionOf(r) === partition);
  const found: string[] = [];
  await runPool(
    others,
    REGION_SEARCH_CONCURRENCY,
    async (region) => {
      const r = await describeGroup({ ...parts, region }, groupId, { ...opts, maxAttempts: 1 });
      if (r.found) found.push(region);
    },
    opts.signal,
  );
  return AWS_REGION_CODES.filter((r) => found.includes(r));
}

/** Region mismatch: the group is not in its region, but exists in another one. */
export async function regionMismatch(parts: AwsCredentialParts, resource: { id: string; groupId: string; region: string }, credentialRegion: string, opts: Opts): Promise<Partial<Diagnosis> | null> {
  const regions = await findGroupRegions({ ...parts, region: resource.region }, resource.groupId, opts);
  if (!regions.length) return null;
  const where = regions[0];
  const whose = resource.region === credentialRegion ? 'the resource’s and the credential’s' : 'the resource’s';
  const found = `${resource.groupId} exists in ${regions.join(', ')}, but ${whose} region is ${resource.region}.`;
  return {
    ...contextDiagnosis('Context.RegionMismatch', { groupId: resource.groupId, found: where, whose, region: resource.region }, found),
    fix: { kind: 'resource-region', resourceId: resource.id, region: where },
  };
}

/** The permission an AccessDenied / UnauthorizedOperation message names. */
function permissionFromMessage(message: string): string | null {
  const m = /is not authorized to perform:\s*([a-z0-9-]+:[A-Za-z0-9*]+)/i.exec(message);
  return m ? m[1] : null;
}

function encodedMessageOf(message: string): string | null {
  const m = /Encoded authorization failure message:\s*(\S+)/i.exec(message);
  return m ? m[1].replace(/[.,;]+$/, '') : null;
}

/** What sts:DecodeAuthorizationMessage says was refused, when the credential may call it. */
async function decodeAuthorizationMessage(parts: AwsCredentialParts, encoded: string, opts: Opts): Promise<{ action?: string; resource?: string } | null> {
  const sdk = await stsSdk();
  const client = new sdk.STSClient(awsClientConfig(parts, opts));
  try {
    const out = await client.send(new sdk.DecodeAuthorizationMessageCommand({ EncodedMessage: encoded }), { abortSignal: deadline(opts) });
    const decoded = JSON.parse(out.DecodedMessage ?? '{}') as { context?: { action?: string; resource?: string } };
    return { action: decoded.context?.action, resource: decoded.context?.resource };
  } catch {
    return null; // not allowed, or not decodable: the operation names the permission anyway
  }
}

/** Access denied: names the exact missing permission and the policy that would grant it. */
export async function accessDenied(parts: AwsCredentialParts | null, error: CheckError, operation: string, opts: Opts): Promise<Partial<Diagnosis>> {
  let permission = permissionFromMessage(error.message) ?? operation;
  let resource = /on resource:\s*(\S+)/i.exec(error.message)?.[1] ?? '*';
  let decodedNote = '';
  const encoded = encodedMessageOf(error.message);
  if (encoded && parts) {
    const decoded = await decodeAuthorizationMessage(parts, encoded, opts);
    if (decoded?.action) {
      permission = decoded.action;
      if (decoded.resource) resource = decoded.resource;
      decodedNote = ' (from AWS’s decoded authorization message)';
    }
  }
  // Describe calls do not support resource-level permissions.
  if (/^ec2:Describe/i.test(permission)) resource = '*';
  const onResource = resource !== '*' ? ` on ${resource}` : '';
  const found = `The credential is missing ${permission}${onResource}${decodedNote}.`;
  return {
    ...contextDiagnosis('Context.MissingPermission', { permission, onResource }, found),
    missingPermission: permission,
    policy: policyGranting(permission, resource) as unknown as Record<string, unknown>,
  };
}

/** The IAM user name in an identity ARN (arn:aws:iam::123:user/path/name), or null. */
function userNameOf(identity: Identity | null): string | null {
  const m = identity?.arn ? /:user\/(?:.*\/)?([^/]+)$/.exec(identity.arn) : null;
  return m ? m[1] : null;
}

export interface AdminCandidate {
  name: string;
  /** Opened only when this candidate is tried. */
  parts: () => AwsCredentialParts;
}

/**
 * Key rotated, deleted or inactive: an admin credential of the same account lists the
 * user's keys (iam:ListAccessKeys) and says which it is.
 */
export async function keyLookup(accessKeyId: string, identity: Identity, admins: AdminCandidate[], opts: Opts): Promise<Partial<Diagnosis> | null> {
  const user = userNameOf(identity);
  if (!user) return null;
  const sdk = await iamSdk();
  for (const admin of admins) {
    const client = new sdk.IAMClient(awsClientConfig(admin.parts(), opts));
    try {
      const out = await client.send(new sdk.ListAccessKeysCommand({ UserName: user }), { abortSignal: deadline(opts) });
      const keys = out.AccessKeyMetadata ?? [];
      const mine = keys.find((k) => k.AccessKeyId === accessKeyId);
      const via = ` (looked up with the admin credential “${admin.name}”)`;
      const vars = { key: accessKeyId, user, account: identity.account ?? '' };
      if (mine && mine.Status === 'Inactive') {
        return contextDiagnosis('Context.KeyInactive', vars, `The access key ${accessKeyId} of IAM user ${user} is inactive${via}.`);
      }
      if (mine) return null; // active: the failure is something else (secret, clock)
      const others = keys.filter((k) => k.AccessKeyId).map((k) => `${k.AccessKeyId} (${k.Status})`);
      if (others.length) {
        return contextDiagnosis(
          'Context.KeyRotated',
          { ...vars, others: others.join(', ') },
          `The access key ${accessKeyId} was deleted from IAM user ${user} and replaced by ${others.join(', ')}${via}.`,
        );
      }
      return contextDiagnosis('Context.NoAccessKey', vars, `The access key ${accessKeyId} was deleted from IAM user ${user}, which has no access key now${via}.`);
    } catch (e) {
      const code = sdkCode(e);
      if (code === 'NoSuchEntity' || code === 'NoSuchEntityException') {
        const found = `IAM user ${user} no longer exists in account ${identity.account} (looked up with the admin credential “${admin.name}”).`;
        return contextDiagnosis('Context.UserDeleted', { user, account: identity.account ?? '' }, found);
      }
      // Not allowed, or unreachable: try the next admin credential.
    }
  }
  return null;
}
