import { duplicateRuleError, ipPermissionsXml, requestedRules, revokedRuleXml, sameRule, securityGroupRuleXml, type RequestedRule } from './ec2-rules';
import { AwsError } from './errors';
import { newSecurityGroupRuleId } from './ids';
import { denialReason } from './permissions';
import { indexedGroups, indexedValues } from './query';
import type { ActionContext, ActionSpec, ServiceDefinition } from './service';
import { isSecurityGroupId, type SecurityGroupRecord, type SecurityGroupRule } from './state';
import { ec2Error, ec2Response, list, text } from './xml';

const XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

// --- lookups, region-scoped: a group is only visible with credentials signed for its region -------

const malformedGroupId = (id: string): AwsError => new AwsError(400, 'InvalidGroupId.Malformed', `Invalid id: "${id}" (expecting "sg-...")`);

const groupNotFound = (idOrName: string): AwsError => new AwsError(400, 'InvalidGroup.NotFound', `The security group '${idOrName}' does not exist`);

function checkGroupId(id: string): string {
  if (!isSecurityGroupId(id)) throw malformedGroupId(id);
  return id;
}

/** The group an Authorize/Revoke call targets, by GroupId or (default VPC style) GroupName. */
function targetGroup(ctx: ActionContext): SecurityGroupRecord {
  const groupId = ctx.params.get('GroupId');
  const groupName = ctx.params.get('GroupName');
  const visible = ctx.state.listSecurityGroups(ctx.caller.account, ctx.region);
  if (groupId !== undefined) {
    const group = ctx.state.getSecurityGroup(ctx.caller.account, ctx.region, checkGroupId(groupId));
    if (!group) throw groupNotFound(groupId);
    return group;
  }
  if (groupName !== undefined) {
    const group = visible.find((g) => g.groupName === groupName);
    if (!group) throw groupNotFound(groupName);
    return group;
  }
  throw new AwsError(400, 'MissingParameter', 'The request must contain the parameter groupName or groupId');
}

// --- DescribeSecurityGroups ---------------------------------------------------------------------

const FILTERS: Record<string, (g: SecurityGroupRecord) => string> = {
  'group-id': (g) => g.groupId,
  'group-name': (g) => g.groupName,
  'vpc-id': (g) => g.vpcId,
  description: (g) => g.description,
  'owner-id': (g) => g.account,
};

/** EC2 filter values allow * and ? wildcards. */
const wildcard = (pattern: string): RegExp =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );

function applyFilters(ctx: ActionContext, groups: SecurityGroupRecord[]): SecurityGroupRecord[] {
  let result = groups;
  for (const filter of indexedGroups(ctx.params, 'Filter')) {
    const name = filter.get('Name') ?? '';
    const read = FILTERS[name];
    if (!read) throw new AwsError(400, 'InvalidParameterValue', `The filter '${name}' is invalid`);
    const values = indexedValues(filter, 'Value').map(wildcard);
    result = result.filter((g) => values.some((v) => v.test(read(g))));
  }
  return result;
}

/** The members of one securityGroupInfo entry. */
function securityGroupXml(g: SecurityGroupRecord): string {
  return (
    text('ownerId', g.account) +
    text('groupId', g.groupId) +
    text('groupName', g.groupName) +
    text('groupDescription', g.description) +
    text('vpcId', g.vpcId) +
    ipPermissionsXml('ipPermissions', g.ingress, g.account) +
    ipPermissionsXml('ipPermissionsEgress', g.egress, g.account) +
    text('securityGroupArn', `arn:aws:ec2:${g.region}:${g.account}:security-group/${g.groupId}`)
  );
}

function pageSize(ctx: ActionContext, usesIds: boolean): number | undefined {
  const raw = ctx.params.get('MaxResults');
  if (raw === undefined) return undefined;
  if (usesIds) {
    throw new AwsError(400, 'InvalidParameterCombination', 'The parameter groupIds cannot be used with the parameter maxResults');
  }
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 5 || n > 1000) {
    throw new AwsError(400, 'InvalidParameterValue', `Value ( ${raw} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
  }
  return n;
}

/** Our NextToken is the base64url position of the next entry; AWS's is opaque too. */
function tokenPosition(token: string | undefined): number {
  if (token === undefined) return 0;
  const n = Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(n) || n < 0) throw new AwsError(400, 'InvalidParameterValue', `The value '${token}' for parameter nextToken is invalid.`);
  return n;
}

const DescribeSecurityGroups: ActionSpec = {
  permission: 'ec2:DescribeSecurityGroups',
  run: (ctx) => {
    const ids = indexedValues(ctx.params, 'GroupId').map(checkGroupId);
    const names = indexedValues(ctx.params, 'GroupName');
    const visible = ctx.state.listSecurityGroups(ctx.caller.account, ctx.region);
    const missingId = ids.find((id) => !visible.some((g) => g.groupId === id));
    if (missingId) throw groupNotFound(missingId);
    const missingName = names.find((n) => !visible.some((g) => g.groupName === n));
    if (missingName) throw groupNotFound(missingName);
    let groups = visible.filter((g) => (ids.length === 0 || ids.includes(g.groupId)) && (names.length === 0 || names.includes(g.groupName)));
    groups = applyFilters(ctx, groups);
    const size = pageSize(ctx, ids.length > 0 || names.length > 0);
    const start = tokenPosition(ctx.params.get('NextToken'));
    const pageOf = size === undefined ? groups.slice(start) : groups.slice(start, start + size);
    const next = size !== undefined && start + size < groups.length ? Buffer.from(String(start + size)).toString('base64url') : undefined;
    return list('securityGroupInfo', pageOf.map(securityGroupXml), 'item') + text('nextToken', next);
  },
};

// --- Authorize / Revoke ingress ---------------------------------------------------------------------

/** Referenced groups in the caller's own account must exist in the same region. */
function checkReferencedGroups(ctx: ActionContext, rules: RequestedRule[]): void {
  for (const rule of rules) {
    const s = rule.source;
    if (s.kind !== 'group' || (s.userId !== undefined && s.userId !== ctx.caller.account)) continue;
    if (!ctx.state.getSecurityGroup(ctx.caller.account, ctx.region, checkGroupId(s.groupId))) throw groupNotFound(s.groupId);
  }
}

const AuthorizeSecurityGroupIngress: ActionSpec = {
  permission: 'ec2:AuthorizeSecurityGroupIngress',
  resource: (ctx) => `arn:aws:ec2:${ctx.region}:${ctx.caller.account}:security-group/${ctx.params.get('GroupId') ?? '*'}`,
  run: (ctx) => {
    const group = targetGroup(ctx);
    const rules = requestedRules(ctx.params);
    checkReferencedGroups(ctx, rules);
    // All or nothing: any duplicate, against the group or within the request, refuses the call.
    rules.forEach((rule, i) => {
      if (group.ingress.some((r) => sameRule(r, rule)) || rules.slice(0, i).some((r) => sameRule(r, rule))) {
        throw duplicateRuleError(rule);
      }
    });
    const added: SecurityGroupRule[] = rules.map((rule) => ({ ruleId: newSecurityGroupRuleId(), ...rule }));
    group.ingress.push(...added);
    return (
      text('return', true) +
      list(
        'securityGroupRuleSet',
        added.map((r) => securityGroupRuleXml(group, r, false)),
        'item',
      )
    );
  },
};

const RevokeSecurityGroupIngress: ActionSpec = {
  permission: 'ec2:RevokeSecurityGroupIngress',
  resource: AuthorizeSecurityGroupIngress.resource,
  run: (ctx) => {
    const group = targetGroup(ctx);
    const ruleIds = indexedValues(ctx.params, 'SecurityGroupRuleId');
    let toRevoke: SecurityGroupRule[];
    let unknown: RequestedRule[] = [];
    if (ruleIds.length > 0) {
      const missing = ruleIds.find((id) => !group.ingress.some((r) => r.ruleId === id));
      if (missing) throw new AwsError(400, 'InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${missing}' does not exist`);
      toRevoke = group.ingress.filter((r) => ruleIds.includes(r.ruleId));
    } else {
      const rules = requestedRules(ctx.params);
      toRevoke = group.ingress.filter((r) => rules.some((q) => sameRule(r, q)));
      unknown = rules.filter((q) => !group.ingress.some((r) => sameRule(r, q)));
      // Documented split: a non-default VPC refuses the whole call; a default VPC revokes what
      // matched and reports the rest as unknownIpPermissionSet.
      if (unknown.length > 0 && !group.isDefaultVpc) {
        throw new AwsError(400, 'InvalidPermission.NotFound', 'The specified rule does not exist in this security group.');
      }
    }
    group.ingress = group.ingress.filter((r) => !toRevoke.includes(r));
    const unknownXml = unknown.length
      ? ipPermissionsXml(
          'unknownIpPermissionSet',
          unknown.map((r) => ({ ruleId: '', ...r })),
          ctx.caller.account,
        )
      : '';
    return (
      text('return', true) +
      unknownXml +
      list(
        'revokedSecurityGroupRuleSet',
        toRevoke.map((r) => revokedRuleXml(group, r, false)),
        'item',
      )
    );
  },
};

// --- the service ------------------------------------------------------------------------------------

/** A stand-in for EC2's encrypted authorization context (decodable with sts:DecodeAuthorizationMessage on AWS). */
function encodedFailure(ctx: ActionContext, action: string, resource: string | undefined, explicit: boolean): string {
  const context = { principal: { arn: ctx.caller.arn }, action, resource: resource ?? '*', region: ctx.region };
  return Buffer.from(JSON.stringify({ allowed: false, explicitDeny: explicit, matchedStatements: { items: [] }, context })).toString('base64url');
}

export const ec2: ServiceDefinition = {
  name: 'ec2',
  version: '2016-11-15',
  xmlns: XMLNS,
  actions: { DescribeSecurityGroups, AuthorizeSecurityGroupIngress, RevokeSecurityGroupIngress },
  accessDenied: (ctx, spec, decision) => {
    const resource = spec.resource?.(ctx);
    const who = `User: ${ctx.caller.arn} is not authorized to perform: ${spec.permission}`;
    // Describe calls carry no resource and no encoded message; mutating calls carry both.
    const message = resource
      ? `You are not authorized to perform this operation. ${who} on resource: ${resource} ${denialReason(decision, spec.permission)}. Encoded authorization failure message: ${encodedFailure(ctx, spec.permission, resource, decision === 'explicit-deny')}`
      : `You are not authorized to perform this operation. ${who} ${denialReason(decision, spec.permission)}`;
    return new AwsError(403, 'UnauthorizedOperation', message);
  },
  renderResult: (action, body, requestId) => ec2Response(action, XMLNS, body ?? '', requestId),
  renderError: (error, requestId) => ec2Error(error, requestId),
};

export const dryRunSucceeded = (): AwsError => new AwsError(412, 'DryRunOperation', 'Request would have succeeded, but DryRun flag is set.');
