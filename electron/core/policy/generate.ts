import type { PolicyDocument, PolicyResult, PolicyStatement } from '../../../shared/channels/resources';

// The least-privilege IAM policy Keyward's registered resources need. Pure: the caller
// gathers the resources, the accounts (from verified identities) and whether a credential
// rotates itself.
import { rotationAwsActions } from '../../../shared/rotation-steps';

export type Partition = 'aws' | 'aws-us-gov' | 'aws-cn';

interface PolicyGroup {
  groupId: string;
  region: string;
  /** The 12-digit account from the credential's verified identity; null when never verified. */
  account: string | null;
}

/** What a delivery's writer needs on one resource (deliveries/kind.ts: awsActions). */
interface DeliveryGrant {
  actions: string[];
  resource: string;
}

interface PolicyInput {
  groups: PolicyGroup[];
  /** The statements the credential's deliveries (SSM, Secrets Manager) need to be written and read back. */
  deliveries?: DeliveryGrant[];
  /** Accounts (with a region of theirs, for the partition) whose credentials rotate themselves. */
  rotation: Array<{ account: string | null; region: string }>;
}

type GeneratedPolicy = Pick<PolicyResult, 'document' | 'notes'>;

/** IAM's quota for a customer managed policy, counted without whitespace. */
export const MANAGED_POLICY_MAX_CHARS = 6144;

/** The IAM actions of a self-rotation, from the rotation's step table (sts:GetCallerIdentity has its own statement). */
const ROTATION_ACTIONS: readonly string[] = rotationAwsActions().filter((a) => a.startsWith('iam:'));

export function partitionOf(region: string): Partition {
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  if (region.startsWith('cn-')) return 'aws-cn';
  return 'aws';
}

export function securityGroupArn(g: PolicyGroup): string {
  return `arn:${partitionOf(g.region)}:ec2:${g.region}:${g.account ?? '*'}:security-group/${g.groupId}`;
}

function selfUserArn(partition: Partition, account: string | null): string {
  return `arn:${partition}:iam::${account ?? '*'}:user/\${aws:username}`;
}

/** The size IAM counts: every character except whitespace. */
export function policySize(doc: unknown): number {
  return JSON.stringify(doc).replace(/\s/g, '').length;
}

const one = (list: string[]): string | string[] => (list.length === 1 ? list[0] : list);

export function generatePolicy(input: PolicyInput): GeneratedPolicy {
  const notes: string[] = [];
  const arns = [...new Set(input.groups.map(securityGroupArn))].sort();
  const statements: PolicyStatement[] = [];
  if (arns.length) {
    statements.push({
      Sid: 'ManageIngressOnRegisteredGroups',
      Effect: 'Allow',
      Action: ['ec2:AuthorizeSecurityGroupIngress', 'ec2:RevokeSecurityGroupIngress'],
      Resource: one(arns),
    });
  }
  statements.push(
    // DescribeSecurityGroups does not support resource-level permissions.
    { Sid: 'DescribeSecurityGroups', Effect: 'Allow', Action: ['ec2:DescribeSecurityGroups'], Resource: '*' },
    { Sid: 'VerifyIdentity', Effect: 'Allow', Action: ['sts:GetCallerIdentity'], Resource: '*' },
  );
  const users = [...new Set(input.rotation.map((r) => selfUserArn(partitionOf(r.region), r.account)))].sort();
  if (users.length) {
    statements.push({ Sid: 'RotateOwnAccessKeys', Effect: 'Allow', Action: [...ROTATION_ACTIONS], Resource: one(users) });
  }
  statements.push(...deliveryStatements(input.deliveries ?? []));
  if ([...input.groups, ...input.rotation].some((g) => g.account === null)) {
    notes.push('Some credentials were never verified, so their account is not known: their ARNs use * for the account. Verify them and generate again for exact ARNs.');
  }
  return { document: { Version: '2012-10-17', Statement: statements }, notes };
}

/** One statement per set of actions, over every resource that needs it: Sid DeliverSsm, DeliverSecretsmanager, DeliverKms… */
function deliveryStatements(grants: DeliveryGrant[]): PolicyStatement[] {
  const byActions = new Map<string, { actions: string[]; resources: Set<string> }>();
  for (const g of grants) {
    const actions = [...new Set(g.actions)].sort();
    const key = actions.join(',');
    const entry = byActions.get(key) ?? { actions, resources: new Set<string>() };
    entry.resources.add(g.resource);
    byActions.set(key, entry);
  }
  const sids = new Map<string, number>();
  return [...byActions.values()].map(({ actions, resources }) => {
    const service = (actions[0]?.split(':')[0] ?? 'aws').replace(/^./, (c) => c.toUpperCase());
    const n = (sids.get(service) ?? 0) + 1;
    sids.set(service, n);
    return { Sid: `Deliver${service}${n > 1 ? n : ''}`, Effect: 'Allow' as const, Action: actions, Resource: one([...resources].sort()) };
  });
}

/** Only the statement that grants one permission, for a diagnosis ("this would grant it"). */
export function policyGranting(permission: string, resource = '*'): PolicyDocument {
  return { Version: '2012-10-17', Statement: [{ Sid: 'GrantMissingPermission', Effect: 'Allow', Action: [permission], Resource: resource }] };
}

/**
 * Splits a policy too large for one managed policy into several that each fit, by
 * spreading the group ARNs; the other statements go in the first.
 */
export function splitPolicy(doc: PolicyDocument, max = MANAGED_POLICY_MAX_CHARS): PolicyDocument[] {
  if (policySize(doc) <= max) return [doc];
  const ingress = doc.Statement.find((s) => s.Sid === 'ManageIngressOnRegisteredGroups');
  const rest = doc.Statement.filter((s) => s !== ingress);
  const arns = ingress ? ([] as string[]).concat(ingress.Resource) : [];
  const out: PolicyDocument[] = [];
  let current: PolicyDocument = { Version: '2012-10-17', Statement: [...rest] };
  let bucket: string[] = [];
  const withBucket = (d: PolicyDocument, b: string[], n: number): PolicyDocument => ({
    Version: '2012-10-17',
    Statement: [...d.Statement, { Sid: `ManageIngressOnRegisteredGroups${n}`, Effect: 'Allow', Action: ingress?.Action ?? [], Resource: one(b) }],
  });
  for (const arn of arns) {
    const next = [...bucket, arn];
    if (policySize(withBucket(current, next, out.length + 1)) > max && bucket.length) {
      out.push(withBucket(current, bucket, out.length + 1));
      current = { Version: '2012-10-17', Statement: [] };
      bucket = [arn];
    } else {
      bucket = next;
    }
  }
  out.push(bucket.length ? withBucket(current, bucket, out.length + 1) : current);
  return out;
}
