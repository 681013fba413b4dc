import { postgres } from '../../../../shared/providers/postgres';
import { CA_FILE, sh, testWithCa } from '../shell';
import { providerOf } from '../types';
import { POSTGRES_CATALOG } from './catalog';

// PostgreSQL: a login, checked with SELECT 1 (verify.ts). The test command is psql, which
// prompts for the password.

/** A libpq keyword=value connection string (values quoted as libpq wants). */
function conninfo(pairs: Array<[string, string | undefined]>): string {
  return pairs
    .filter(([, v]) => v)
    .map(([k, v]) => `${k}=${/^[^\s'\\]+$/.test(v!) ? v : `'${v!.replace(/['\\]/g, '\\$&')}'`}`)
    .join(' ');
}

export const postgresProvider = providerOf(postgres, () => import('./verify'), POSTGRES_CATALOG, {
  testCommand(fields, errorCode) {
    if (!fields.host || !fields.user) return null;
    // verify-full + sslrootcert: libpq checks the chain and the host name against the CA, like Keyward.
    const tlsPairs: Array<[string, string]> =
      fields.tls === 'disable'
        ? [['sslmode', 'disable']]
        : testWithCa(fields, errorCode)
          ? [
              ['sslmode', 'verify-full'],
              ['sslrootcert', CA_FILE],
            ]
          : [['sslmode', 'require']];
    if (errorCode === '3D000') {
      // Connect to the maintenance database and list the ones that exist.
      return `psql ${sh(conninfo([['host', fields.host], ['port', fields.port], ['dbname', 'postgres'], ['user', fields.user], ...tlsPairs]))} -l`;
    }
    return `psql ${sh(conninfo([['host', fields.host], ['port', fields.port], ['dbname', fields.database], ['user', fields.user], ...tlsPairs]))} -c 'SELECT 1'`;
  },
  cliCheck: (fields) => (fields.caCert !== undefined && fields.tls === 'disable' ? '--ca-file is for TLS: use --tls require (the default), not disable.' : null),
});
