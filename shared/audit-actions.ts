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
  'credential.merged',
  'credential.rotated',
  'credentials.imported',
  'credential.used',
  'aws-profiles.migrated',
  'secret.copied',
  'resource.added',
  'resource.edited',
  'resource.deleted',
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
  'inventory.exported',
  'inventory.settings.changed',
  'inventory.report.imported',
  'watch.run',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The group an action belongs to, for filters such as "all credential events". */
export function auditGroupOf(action: AuditAction): string {
  return action.split('.')[0].replace(/s$/, '');
}
