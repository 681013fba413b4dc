/**
 * A user's permissions, reduced to IAM action patterns (`'*'`, `'sts:*'`, `'ec2:Describe*'`,
 * `'iam:ListAccessKeys'`). Resources and conditions are out of scope for the test server.
 */
export interface PermissionSet {
  allow: string[];
  deny: string[];
}

export type Decision = 'allowed' | 'implicit-deny' | 'explicit-deny';

// IAM matches action names case-insensitively, with * and ? wildcards.
function patternToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('')
    .map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 'i');
}

const matchesAny = (patterns: readonly string[], action: string): boolean => patterns.some((p) => patternToRegExp(p).test(action));

/** Explicit deny wins over any allow; no matching allow is an implicit deny, as in IAM. */
export function decide(permissions: PermissionSet, action: string): Decision {
  if (matchesAny(permissions.deny, action)) return 'explicit-deny';
  if (matchesAny(permissions.allow, action)) return 'allowed';
  return 'implicit-deny';
}

/** The tail AWS appends to an authorization failure, naming why it was refused. */
export function denialReason(decision: Exclude<Decision, 'allowed'>, action: string): string {
  return decision === 'explicit-deny' ? 'with an explicit deny in an identity-based policy' : `because no identity-based policy allows the ${action} action`;
}
