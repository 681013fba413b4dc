import { catalogOf, untrustedCertificate } from '../../diagnosis/entry';

// LDAP's rows of the diagnosis catalog: the seeds' connector rows and the neighbours an
// admin meets next. `{test}` becomes the credential's own test command, which prompts for
// the password and never holds it.

const LDAP_CODES = 'https://datatracker.ietf.org/doc/html/rfc4511#appendix-A';

// prettier-ignore
export const LDAP_CATALOG = catalogOf('LDAP', [
  { id: 'ldap.invalid-credentials', codes: ['InvalidCredentials'], cause: 'The directory refused the bind (Invalid credentials, 49): the bind password is wrong, or the account is locked, disabled or has an expired password.', remedy: ['Check the bind password for typos and trailing spaces, and the Bind DN for the right account.', 'Ask the directory admin whether the account is locked, disabled or must change its password (Active Directory adds “data 775”, “data 533” or “data 532” to the message).', 'Run {test}; it prompts for the password. If it fails too, the directory rejects the account itself.', 'Edit the credential with the current password, then Retry.'], link: LDAP_CODES },
  { id: 'ldap.no-such-object', codes: ['NoSuchObject'], cause: 'The directory has no entry at the DN Keyward read (No such object, 32): the Base DN (or the Bind DN) is misspelled, or the entry was moved or deleted.', remedy: ['Compare the Base DN with the directory’s naming context (e.g. dc=example,dc=com), component by component.', 'Run {test} to read that exact entry; it prompts for the password.', 'Edit the credential’s Base DN (or Bind DN), then Retry.'], link: LDAP_CODES },
  { id: 'ldap.invalid-dn', codes: ['InvalidDNSyntax'], cause: 'The directory could not parse a DN Keyward sent (Invalid DN syntax, 34): the Bind DN or Base DN is not written as attribute=value pairs.', remedy: ['Write the DN as comma-separated attribute=value pairs, e.g. cn=keyward,ou=services,dc=example,dc=com.', 'Escape commas inside a value with a backslash.', 'Run {test} with the corrected DN.'], link: LDAP_CODES },
  { id: 'ldap.confidentiality-required', codes: ['ConfidentialityRequired', 'InappropriateAuthentication'], cause: 'The directory refuses a simple bind over this connection: it requires TLS (ldaps://) or does not allow password binds for this account.', remedy: ['Use an ldaps:// Server URL (port 636 by default).', 'Ask the directory admin which bind methods the account may use.', 'Run {test} against the ldaps:// URL.'], link: LDAP_CODES },
  { id: 'ldap.insufficient-access', codes: ['InsufficientAccess'], cause: 'The bind worked, but the account may not read the Base DN (Insufficient access, 50).', remedy: ['Ask the directory admin to grant the bind account read access to the Base DN.', 'Or set a Base DN the account may read, then Retry.', 'Run {test} to see the directory’s own answer.'], link: LDAP_CODES },
  { id: 'ldap.unavailable', codes: ['Busy', 'Unavailable'], cause: 'The directory answered that it is busy or unavailable, so it gave no verdict on the credential.', remedy: ['Retry in a minute; the credential was not marked invalid.', 'If it persists, ask the directory admin about the server’s state or replication.'] },
  untrustedCertificate('LDAP', 'directory', 'Server URL'),
  { id: 'ldap.refused', codes: ['ECONNREFUSED'], cause: 'Nothing accepted the connection at the Server URL: the host or port is wrong, the directory is down, or a firewall rejects it.', remedy: ['Check the Server URL: ldaps:// for LDAP over TLS (port 636), ldap:// for plain LDAP (port 389).', 'Check that the port is open from this machine to the directory server.', 'Run {test} from this machine.'] },
]);
