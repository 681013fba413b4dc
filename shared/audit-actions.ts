// Every action the audit log records, in one typed list: AuditLog.append takes only these,
// and the Audit page's filter and its groups are built from it. A new feature adds its
// actions here (grouped by the part before the first dot).

export const AUDIT_ACTIONS = [
  'vault.created',
  'vault.unlocked',
  'vault.locked',
  'vault.backup.created',
  'vault.restored',
  'vault.merged',
  'vault.passphrase-changed',
  'vault.key-provider-changed',
  'credential.created',
  'credential.edited',
  'credential.deleted',
  'credential.verified',
  'credential.tested',
  'credential.merged',
  'credential.replaced',
  'credential.rotated',
  'credentials.imported',
  'credential.used',
  'aws-profiles.migrated',
  'secret.copied',
  'resource.added',
  'resource.edited',
  'resource.deleted',
  'resource.moved',
  'resource.verified',
  'parameter.created',
  'parameter.defined',
  'parameter.changed',
  'parameter.deleted',
  'parameter.bound',
  'parameter.unbound',
  'parameters.imported',
  'parameters.tested',
  'rotation.started',
  'rotation.key-created',
  'rotation.key-deleted',
  'rotation.stopped',
  'rotation.completed',
  'rotation.rollback-started',
  'rotation.rolled-back',
  'rotation.orphan-deleted',
  'delivery.added',
  'delivery.removed',
  'delivery.written',
  'delivery.restored',
  'delivery.tested',
  'inventory.exported',
  'inventory.settings.changed',
  'inventory.report.imported',
  'watch.run',
  'settings.changed',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * The group an action is filtered under: its feature (the part before the first dot), in
 * the singular, so "credentials.imported" is a credential event beside "credential.created"
 * and "parameters.tested" a parameter event.
 */
function auditGroupOf(action: string): string {
  return action.split('.')[0]!.replace(/s$/, '');
}

/** The actions of a group ("credential": every credential event), from the typed list. */
export function actionsInGroup(group: string): AuditAction[] {
  return AUDIT_ACTIONS.filter((a) => auditGroupOf(a) === group);
}

/** The groups worth offering: those with more than one action. */
export const AUDIT_GROUPS: readonly string[] = [...new Set(AUDIT_ACTIONS.map(auditGroupOf))].filter((g) => actionsInGroup(g).length > 1);
