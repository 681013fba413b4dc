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

/** The file the test commands read the CA certificate from: the credential's "CA certificate (PEM)", saved by the admin. */
export const CA_FILE = 'ca.pem';

/** TLS errors where the server's certificate was not trusted: the test command then shows how to pass the CA. */
export const UNTRUSTED_CERT_CODES = ['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'ERR_TLS_CERT_ALTNAME_INVALID'] as const;

export function connectorTestCommand(provider: ProviderId, fields: Record<string, string>, errorCode?: string): string | null {
  // With a stored CA, or when the certificate was not trusted, the command trusts ca.pem as Keyward would.
  const withCa = !!fields.caCert || (UNTRUSTED_CERT_CODES as readonly string[]).includes(errorCode ?? '');
  if (provider === 'LDAP' && fields.url && fields.bindDn) {
    const env = withCa && /^ldaps:/i.test(fields.url) ? `LDAPTLS_CACERT=${CA_FILE} ` : '';
    if (errorCode === 'NoSuchObject' || errorCode === 'InsufficientAccess') {
      const base = fields.baseDn || fields.bindDn;
      return `${env}ldapsearch -x -H ${sh(fields.url)} -D ${sh(fields.bindDn)} -W -b ${sh(base)} -s base '(objectClass=*)'`;
    }
    return `${env}ldapwhoami -x -H ${sh(fields.url)} -D ${sh(fields.bindDn)} -W`;
  }
  if (provider === 'POSTGRES' && fields.host && fields.user) {
    // verify-full + sslrootcert: libpq checks the chain and the host name against the CA, like Keyward.
    const tlsPairs: Array<[string, string]> =
      fields.tls === 'disable' ? [['sslmode', 'disable']] : withCa ? [['sslmode', 'verify-full'], ['sslrootcert', CA_FILE]] : [['sslmode', 'require']];
    if (errorCode === '3D000') {
      // Connect to the maintenance database and list the ones that exist.
      return `psql ${sh(conninfo([['host', fields.host], ['port', fields.port], ['dbname', 'postgres'], ['user', fields.user], ...tlsPairs]))} -l`;
    }
    return `psql ${sh(conninfo([['host', fields.host], ['port', fields.port], ['dbname', fields.database], ['user', fields.user], ...tlsPairs]))} -c 'SELECT 1'`;
  }
  if (provider === 'REDIS' && fields.host) {
    const parts = ['redis-cli', '-h', sh(fields.host), '-p', sh(fields.port || '6379')];
    if (fields.tls === 'on') parts.push('--tls');
    if (fields.tls === 'on' && withCa) parts.push('--cacert', CA_FILE);
    if (fields.username) parts.push('--user', sh(fields.username));
    parts.push('--askpass', 'PING');
    return parts.join(' ');
  }
  return null;
}
