import { randomBytes } from 'node:crypto';
import { AwsError, validationError } from './errors';
import type { ActionContext, ActionSpec } from './service';
import type { AwsState } from './state';
import { isoDate, node, texts } from './xml';

// iam:CreatePolicy, validating the document the way IAM does: JSON, Version, Statement
// (object or array), Sid, Effect, Action/NotAction with a vendor prefix, Resource/NotResource
// as an ARN or *, no Principal in an identity policy, and the 6,144-character quota
// counted without whitespace. Messages are IAM's own.

export const MANAGED_POLICY_QUOTA = 6144;

const malformed = (message: string): AwsError => new AwsError(400, 'MalformedPolicyDocument', message);

const VERSIONS = new Set(['2012-10-17', '2008-10-17']);
const ACTION = /^(\*|[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+)$/;
const ARN = /^arn:(aws|aws-us-gov|aws-cn|\*):[a-z0-9*-]+:[a-z0-9*-]*:(\d{12}|\*|):.+$/;

function strings(value: unknown): string[] | null {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value as string[];
  return null;
}

/** Throws IAM's MalformedPolicyDocument / LimitExceeded for a document IAM would refuse. */
export function validatePolicyDocument(raw: string): void {
  const size = raw.replace(/\s/g, '').length;
  if (size > MANAGED_POLICY_QUOTA) throw new AwsError(409, 'LimitExceeded', `Cannot exceed quota for PolicySize: ${MANAGED_POLICY_QUOTA}`);
  let doc: unknown;
  try {
    doc = JSON.parse(raw);
  } catch {
    throw malformed('Syntax errors in policy.');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw malformed('Syntax errors in policy.');
  const d = doc as Record<string, unknown>;
  for (const key of Object.keys(d)) {
    if (!['Version', 'Id', 'Statement'].includes(key)) throw malformed(`Syntax errors in policy.`);
  }
  if (d.Version !== undefined && (typeof d.Version !== 'string' || !VERSIONS.has(d.Version))) throw malformed('The policy failed legacy parsing');
  if (d.Statement === undefined) throw malformed('Syntax errors in policy.');
  const statements = Array.isArray(d.Statement) ? d.Statement : [d.Statement];
  if (statements.length === 0) throw malformed('Syntax errors in policy.');
  const sids = new Set<string>();
  for (const s of statements) {
    if (!s || typeof s !== 'object' || Array.isArray(s)) throw malformed('Syntax errors in policy.');
    const st = s as Record<string, unknown>;
    for (const key of Object.keys(st)) {
      if (!['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition', 'Principal', 'NotPrincipal'].includes(key)) throw malformed('Syntax errors in policy.');
    }
    if (st.Sid !== undefined) {
      if (typeof st.Sid !== 'string' || !/^[0-9A-Za-z]*$/.test(st.Sid)) {
        throw malformed('Statement IDs (SID) must be alpha-numeric. Check that your input satisfies the regular expression [0-9A-Za-z]*');
      }
      if (sids.has(st.Sid)) throw malformed('Statement IDs (SID) in a single policy must be unique.');
      sids.add(st.Sid);
    }
    if (st.Principal !== undefined || st.NotPrincipal !== undefined) throw malformed('Policy document should not specify a principal.');
    if (st.Effect === undefined) throw malformed('Missing required field Effect');
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw malformed(`Invalid effect: ${String(st.Effect)}`);
    if (st.Action === undefined && st.NotAction === undefined) throw malformed('Policy statement must contain actions.');
    const actions = strings(st.Action ?? st.NotAction);
    if (!actions) throw malformed('Syntax errors in policy.');
    for (const a of actions) {
      if (!ACTION.test(a)) throw malformed('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
    }
    if (st.Resource === undefined && st.NotResource === undefined) throw malformed('Policy statement must contain resources.');
    const resources = strings(st.Resource ?? st.NotResource);
    if (!resources) throw malformed('Syntax errors in policy.');
    for (const r of resources) {
      if (r !== '*' && !ARN.test(r)) throw malformed(`Resource ${r} must be in ARN format or "*".`);
    }
  }
}

interface StoredPolicy {
  name: string;
  path: string;
  id: string;
  arn: string;
  document: string;
  createDate: Date;
}

const stored = new WeakMap<AwsState, Map<string, StoredPolicy>>();

function policiesOf(state: AwsState): Map<string, StoredPolicy> {
  let m = stored.get(state);
  if (!m) stored.set(state, (m = new Map()));
  return m;
}

/** The policies created so far (by ARN), for tests. */
export function createdPolicies(state: AwsState): StoredPolicy[] {
  return [...policiesOf(state).values()];
}

export const CreatePolicy: ActionSpec = {
  permission: 'iam:CreatePolicy',
  resource: (ctx) => `arn:aws:iam::${ctx.caller.account}:policy/${ctx.params.get('PolicyName') ?? ''}`,
  run: (ctx: ActionContext) => {
    const name = ctx.params.get('PolicyName');
    if (name === undefined) throw validationError(`Value null at 'policyName' failed to satisfy constraint: Member must not be null`);
    if (!/^[\w+=,.@-]{1,128}$/.test(name)) {
      throw validationError(`Value '${name}' at 'policyName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`);
    }
    const document = ctx.params.get('PolicyDocument');
    if (document === undefined) throw validationError(`Value null at 'policyDocument' failed to satisfy constraint: Member must not be null`);
    validatePolicyDocument(document);
    const path = ctx.params.get('Path') ?? '/';
    const arn = `arn:aws:iam::${ctx.caller.account}:policy${path}${name}`;
    const all = policiesOf(ctx.state);
    if (all.has(arn)) throw new AwsError(409, 'EntityAlreadyExists', `A policy called ${name} already exists. Duplicate names are not allowed.`);
    const p: StoredPolicy = { name, path, id: `ANPA${randomBytes(9).toString('hex').toUpperCase().slice(0, 17)}`, arn, document, createDate: ctx.now };
    all.set(arn, p);
    const counts = { DefaultVersionId: 'v1', AttachmentCount: 0, PermissionsBoundaryUsageCount: 0, IsAttachable: true };
    return node('Policy', texts({ PolicyName: p.name, PolicyId: p.id, Arn: p.arn, Path: p.path, ...counts, CreateDate: isoDate(p.createDate), UpdateDate: isoDate(p.createDate) }));
  },
};
