import type { ProviderId } from '../../../shared/providers';

// The command that tests a connector credential outside Keyward, with its own settings.
// Each prompts for the secret (-W, psql's prompt, --askpass): no secret ever appears in it.

/** Single-quotes a value for a POSIX shell. */
function sh(value: string): string {
  return /^[A-Za-z0-9_./:@=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A libpq keyword=value connection string (values quoted as libpq wants). */
function conninfo(pairs: Array<[string, string | undefined]>): string {
  return pairs
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}=${/^[^\s'\\]+$/.test(v!) ? v : `'${v!.replace(/['\\]/g, '\\$&')}'`}`)
    .join(' ');
}

export function connectorTestCommand(provider: ProviderId, fields: Record<string, string>, errorCode?: string): string | null {
  if (provider === 'LDAP' && fields.url && fields.bindDn) {
    if (errorCode === 'NoSuchObject' || errorCode === 'InsufficientAccess') {
      const base = fields.baseDn || fields.bindDn;
      return `ldapsearch -x -H ${sh(fields.url)} -D ${sh(fields.bindDn)} -W -b ${sh(base)} -s base '(objectClass=*)'`;
    }
    return `ldapwhoami -x -H ${sh(fields.url)} -D ${sh(fields.bindDn)} -W`;
  }
  if (provider === 'POSTGRES' && fields.host && fields.user) {
    const sslmode = fields.tls === 'disable' ? 'disable' : 'require';
    if (errorCode === '3D000') {
      // Connect to the maintenance database and list the ones that exist.
      return `psql ${sh(conninfo([['host', fields.host], ['port', fields.port], ['dbname', 'postgres'], ['user', fields.user], ['sslmode', sslmode]]))} -l`;
    }
    return `psql ${sh(conninfo([['host', fields.host], ['port', fields.port], ['dbname', fields.database], ['user', fields.user], ['sslmode', sslmode]]))} -c 'SELECT 1'`;
  }
  if (provider === 'REDIS' && fields.host) {
    const parts = ['redis-cli', '-h', sh(fields.host), '-p', sh(fields.port || '6379')];
    if (fields.tls === 'on') parts.push('--tls');
    if (fields.username) parts.push('--user', sh(fields.username));
    parts.push('--askpass', 'PING');
    return parts.join(' ');
  }
  return null;
}
