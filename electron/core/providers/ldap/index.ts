import { ldap } from '../../../../shared/providers/ldap';
import { CA_FILE, sh, testWithCa } from '../shell';
import { providerOf } from '../types';
import { LDAP_CATALOG } from './catalog';

// LDAP: a bind account, checked with a simple bind and a read of the Base DN (verify.ts).
// The test commands prompt for the password (-W).

export const ldapProvider = providerOf(ldap, () => import('./verify'), LDAP_CATALOG, {
  testCommand(fields, errorCode) {
    if (!fields.url || !fields.bindDn) return null;
    const env = testWithCa(fields, errorCode) && /^ldaps:/i.test(fields.url) ? `LDAPTLS_CACERT=${CA_FILE} ` : '';
    if (errorCode === 'NoSuchObject' || errorCode === 'InsufficientAccess') {
      const base = fields.baseDn || fields.bindDn;
      return `${env}ldapsearch -x -H ${sh(fields.url)} -D ${sh(fields.bindDn)} -W -b ${sh(base)} -s base '(objectClass=*)'`;
    }
    return `${env}ldapwhoami -x -H ${sh(fields.url)} -D ${sh(fields.bindDn)} -W`;
  },
  cliCheck: (fields) => (fields.caCert !== undefined && !/^ldaps:/i.test(fields.url ?? '') ? '--ca-file is for LDAP over TLS: use an ldaps:// --url (port 636 by default).' : null),
});
