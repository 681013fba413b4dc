import { AwsError } from './errors';
import { indexedGroups } from './query';
import type { RuleSource, SecurityGroupRecord, SecurityGroupRule } from './state';
import type { Params } from './types';
import { list, node, text, texts } from './xml';

/**
 * Security group rules on the EC2 wire: the request's `IpPermissions.N.*` (and the legacy
 * top-level CidrIp/IpProtocol/FromPort/ToPort form) become atomic rules — one protocol, one port
 * range, one source — which is how AWS stores, matches and de-duplicates them. Describe folds
 * them back into IpPermission entries.
 */

export type RequestedRule = Omit<SecurityGroupRule, 'ruleId'>;

const invalidValue = (message: string): AwsError => new AwsError(400, 'InvalidParameterValue', message);

const PROTOCOL_NAMES: Record<string, string> = { '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6', all: '-1' };

export function normalizeProtocol(raw: string | undefined): string {
  if (raw === undefined || raw === '') throw new AwsError(400, 'MissingParameter', 'The request must contain the parameter ipProtocol');
  const lower = raw.toLowerCase();
  const named = PROTOCOL_NAMES[lower] ?? lower;
  if (['-1', 'tcp', 'udp', 'icmp', 'icmpv6'].includes(named)) return named;
  if (/^\d+$/.test(named) && Number(named) <= 255) return named;
  throw invalidValue(`Invalid value '${raw}' for IP protocol. Unknown protocol.`);
}

function parsePort(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < -1 || n > 65535) throw invalidValue(`Invalid value '${raw}' for ${name}.`);
  return n;
}

/** Port fields as AWS keeps them: TCP/UDP need a range, ICMP a type/code pair, anything else none. */
function ports(protocol: string, from: string | undefined, to: string | undefined): Pick<RequestedRule, 'fromPort' | 'toPort'> {
  const fromPort = parsePort(from, 'fromPort');
  const toPort = parsePort(to, 'toPort');
  if (protocol === 'tcp' || protocol === 'udp') {
    if (fromPort === undefined || toPort === undefined) {
      throw invalidValue(`Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange`);
    }
    if (fromPort < 0 || toPort < 0 || fromPort > toPort) {
      throw invalidValue(`Invalid value 'Invalid port range ${fromPort}-${toPort}' for portRange`);
    }
    return { fromPort, toPort };
  }
  if (protocol === 'icmp' || protocol === 'icmpv6') return { fromPort: fromPort ?? -1, toPort: toPort ?? -1 };
  return {};
}

const IPV4_CIDR = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(3[0-2]|[12]?\d)$/;
const IPV6_CIDR = /^[0-9a-fA-F:]+\/(12[0-8]|1[01]\d|\d?\d)$/;

function cidr(value: string, v6: boolean): string {
  if (!(v6 ? IPV6_CIDR : IPV4_CIDR).test(value)) throw invalidValue(`CIDR block ${value} is malformed`);
  return v6 ? value.toLowerCase() : value;
}

function sourcesOf(permission: Map<string, string>): Array<{ source: RuleSource; description?: string }> {
  const described = (group: Map<string, string>, source: RuleSource) => ({
    source,
    ...(group.get('Description') !== undefined ? { description: group.get('Description') } : {}),
  });
  return [
    ...indexedGroups(permission, 'IpRanges').map((g) => described(g, { kind: 'cidr', cidr: cidr(g.get('CidrIp') ?? '', false) })),
    ...indexedGroups(permission, 'Ipv6Ranges').map((g) => described(g, { kind: 'cidr6', cidr: cidr(g.get('CidrIpv6') ?? '', true) })),
    ...indexedGroups(permission, 'Groups').map((g) => {
      const groupId = g.get('GroupId');
      if (!groupId) throw new AwsError(400, 'MissingParameter', 'Source group ID missing.');
      const userId = g.get('UserId');
      return described(g, { kind: 'group', groupId, ...(userId ? { userId } : {}) });
    }),
    ...indexedGroups(permission, 'PrefixListIds').map((g) => described(g, { kind: 'prefix-list', prefixListId: g.get('PrefixListId') ?? '' })),
  ];
}

/** Every atomic rule a Authorize/Revoke request names, in request order. */
export function requestedRules(params: Params): RequestedRule[] {
  const rules: RequestedRule[] = [];
  for (const permission of indexedGroups(params, 'IpPermissions')) {
    const protocol = normalizeProtocol(permission.get('IpProtocol'));
    const portFields = ports(protocol, permission.get('FromPort'), permission.get('ToPort'));
    const sources = sourcesOf(permission);
    if (sources.length === 0) throw new AwsError(400, 'MissingParameter', 'The request must contain the parameter ipPermissions.ipRanges or ipPermissions.groups');
    for (const s of sources) rules.push({ protocol, ...portFields, ...s });
  }
  // Legacy form: one CIDR or one source group given at the top level.
  const legacyCidr = params.get('CidrIp');
  const legacyGroup = params.get('SourceSecurityGroupName');
  if (legacyCidr !== undefined || legacyGroup !== undefined) {
    const protocol = normalizeProtocol(params.get('IpProtocol') ?? '-1');
    const portFields = ports(protocol, params.get('FromPort'), params.get('ToPort'));
    const source: RuleSource = legacyCidr !== undefined ? { kind: 'cidr', cidr: cidr(legacyCidr, false) } : { kind: 'group', groupId: legacyGroup as string };
    rules.push({ protocol, ...portFields, source });
  }
  if (rules.length === 0) throw new AwsError(400, 'MissingParameter', 'The request must contain the parameter ipPermissions');
  return rules;
}

const sourceKey = (s: RuleSource): string => (s.kind === 'cidr' || s.kind === 'cidr6' ? `${s.kind}:${s.cidr}` : s.kind === 'group' ? `group:${s.groupId}` : `pl:${s.prefixListId}`);

/** Rules are the same when protocol, ports and source agree; descriptions do not count (as on AWS). */
export function sameRule(a: RequestedRule, b: RequestedRule): boolean {
  return a.protocol === b.protocol && a.fromPort === b.fromPort && a.toPort === b.toPort && sourceKey(a.source) === sourceKey(b.source);
}

const peer = (s: RuleSource): string => (s.kind === 'cidr' || s.kind === 'cidr6' ? s.cidr : s.kind === 'group' ? s.groupId : s.prefixListId);

/** AWS's wording for a rule that is already there. */
export function duplicateRuleError(rule: RequestedRule): AwsError {
  const what =
    rule.protocol === '-1'
      ? `peer: ${peer(rule.source)}, ALL, ALLOW`
      : `peer: ${peer(rule.source)}, ${rule.protocol.toUpperCase()}, from port: ${rule.fromPort ?? -1}, to port: ${rule.toPort ?? -1}, ALLOW`;
  return new AwsError(400, 'InvalidPermission.Duplicate', `the specified rule "${what}" already exists`);
}

// --- rendering ----------------------------------------------------------------------------------

function sourceItem(rule: SecurityGroupRule, account: string): string {
  const description = text('description', rule.description);
  const s = rule.source;
  switch (s.kind) {
    case 'cidr':
      return node('item', text('cidrIp', s.cidr) + description);
    case 'cidr6':
      return node('item', text('cidrIpv6', s.cidr) + description);
    case 'group':
      return node('item', text('userId', s.userId ?? account) + text('groupId', s.groupId) + description);
    case 'prefix-list':
      return node('item', text('prefixListId', s.prefixListId) + description);
  }
}

/** Folds atomic rules back into IpPermission items, one per protocol and port range, in first-seen order. */
export function ipPermissionsXml(name: string, rules: SecurityGroupRule[], account: string): string {
  const buckets = new Map<string, SecurityGroupRule[]>();
  for (const rule of rules) {
    const key = `${rule.protocol}|${rule.fromPort ?? ''}|${rule.toPort ?? ''}`;
    buckets.set(key, [...(buckets.get(key) ?? []), rule]);
  }
  const items = [...buckets.values()].map((bucket) => {
    const first = bucket[0];
    const of = (kind: RuleSource['kind']) =>
      bucket
        .filter((r) => r.source.kind === kind)
        .map((r) => sourceItem(r, account))
        .join('');
    return (
      text('ipProtocol', first.protocol) +
      text('fromPort', first.fromPort) +
      text('toPort', first.toPort) +
      node('groups', of('group')) +
      node('ipRanges', of('cidr')) +
      node('ipv6Ranges', of('cidr6')) +
      node('prefixListIds', of('prefix-list'))
    );
  });
  return list(name, items, 'item');
}

function ruleSourceXml(s: RuleSource, account: string, referencedAsInfo: boolean): string {
  switch (s.kind) {
    case 'cidr':
      return text('cidrIpv4', s.cidr);
    case 'cidr6':
      return text('cidrIpv6', s.cidr);
    case 'prefix-list':
      return text('prefixListId', s.prefixListId);
    case 'group':
      return referencedAsInfo ? node('referencedGroupInfo', text('groupId', s.groupId) + text('userId', s.userId ?? account)) : text('referencedGroupId', s.groupId);
  }
}

/** The members of a SecurityGroupRule entry, as AuthorizeSecurityGroupIngress returns it. */
export function securityGroupRuleXml(group: SecurityGroupRecord, rule: SecurityGroupRule, isEgress: boolean): string {
  const arn = `arn:aws:ec2:${group.region}:${group.account}:security-group-rule/${rule.ruleId}`;
  const ids = { securityGroupRuleId: rule.ruleId, groupId: group.groupId, groupOwnerId: group.account, isEgress };
  return texts({ ...ids, ...portsOf(rule) }) + ruleSourceXml(rule.source, group.account, true) + texts({ description: rule.description, securityGroupRuleArn: arn });
}

/** The members of a RevokedSecurityGroupRule entry. */
export function revokedRuleXml(group: SecurityGroupRecord, rule: SecurityGroupRule, isEgress: boolean): string {
  const ids = { securityGroupRuleId: rule.ruleId, groupId: group.groupId, isEgress };
  return texts({ ...ids, ...portsOf(rule) }) + ruleSourceXml(rule.source, group.account, false) + text('description', rule.description);
}

/** A rule's protocol and ports as EC2 writes them (-1: all ports). */
function portsOf(rule: SecurityGroupRule) {
  return { ipProtocol: rule.protocol, fromPort: rule.fromPort ?? -1, toPort: rule.toPort ?? -1 };
}
