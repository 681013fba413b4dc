import type { CatalogEntry } from './catalog';
import { CA_FILE, UNTRUSTED_CERT_CODES } from './connector-commands';
import { CA_INVALID_CODE } from '../providers/tls-ca';

// The connectors' part of the diagnosis catalog (LDAP, PostgreSQL, Redis): every
// connector row of the seeds' error table, and the neighbours an admin meets next.
// `{test}` becomes the credential's own test command (diagnose.ts, connector-commands.ts);
// it prompts for the secret and never holds it. Socket and TLS errors other than
// "refused" use the shared network/tls entries.

const LDAP_CODES = 'https://datatracker.ietf.org/doc/html/rfc4511#appendix-A';
const PG_AUTH = 'https://www.postgresql.org/docs/current/client-authentication-problems.html';
const PG_HBA = 'https://www.postgresql.org/docs/current/auth-pg-hba-conf.html';
const REDIS_ACL = 'https://redis.io/docs/latest/operate/oss_and_stack/management/security/acl/';

/** A connector's TLS certificate was not trusted (self-signed, a private CA, or another host's name): the remedy is the CA field. */
function untrustedCertificate(provider: 'LDAP' | 'POSTGRES' | 'REDIS', server: string, hostField: string): CatalogEntry {
  return {
    id: `${provider.toLowerCase()}.tls-untrusted`,
    provider,
    codes: UNTRUSTED_CERT_CODES,
    cause: `The ${server}’s TLS certificate is not trusted, so the password was not sent: it is self-signed or issued by a private CA this machine does not trust, or it does not name the host in the ${hostField}.`,
    remedy: [
      `If the ${server} uses a private CA or a self-signed certificate, add the CA certificate (PEM) to the credential: Edit → CA certificate (PEM), paste the CA’s certificate (its admin has it), then Retry.`,
      `Use the host name written in the server’s certificate (its subject alternative names) in the ${hostField}: the name is checked even with your own CA.`,
      `Save the CA certificate as ${CA_FILE} and run {test}: it checks the certificate the same way.`,
      'Never disable certificate checks to make this pass.',
    ],
  };
}

const LDAP: CatalogEntry[] = [
  {
    id: 'ldap.invalid-credentials',
    provider: 'LDAP',
    codes: ['InvalidCredentials'],
    cause: 'The directory refused the bind (Invalid credentials, 49): the bind password is wrong, or the account is locked, disabled or has an expired password.',
    remedy: [
      'Check the bind password for typos and trailing spaces, and the Bind DN for the right account.',
      'Ask the directory admin whether the account is locked, disabled or must change its password (Active Directory adds “data 775”, “data 533” or “data 532” to the message).',
      'Run {test}; it prompts for the password. If it fails too, the directory rejects the account itself.',
      'Edit the credential with the current password, then Retry.',
    ],
    link: LDAP_CODES,
  },
  {
    id: 'ldap.no-such-object',
    provider: 'LDAP',
    codes: ['NoSuchObject'],
    cause: 'The directory has no entry at the DN Keyward read (No such object, 32): the Base DN (or the Bind DN) is misspelled, or the entry was moved or deleted.',
    remedy: [
      'Compare the Base DN with the directory’s naming context (e.g. dc=example,dc=com), component by component.',
      'Run {test} to read that exact entry; it prompts for the password.',
      'Edit the credential’s Base DN (or Bind DN), then Retry.',
    ],
    link: LDAP_CODES,
  },
  {
    id: 'ldap.invalid-dn',
    provider: 'LDAP',
    codes: ['InvalidDNSyntax'],
    cause: 'The directory could not parse a DN Keyward sent (Invalid DN syntax, 34): the Bind DN or Base DN is not written as attribute=value pairs.',
    remedy: ['Write the DN as comma-separated attribute=value pairs, e.g. cn=keyward,ou=services,dc=example,dc=com.', 'Escape commas inside a value with a backslash.', 'Run {test} with the corrected DN.'],
    link: LDAP_CODES,
  },
  {
    id: 'ldap.confidentiality-required',
    provider: 'LDAP',
    codes: ['ConfidentialityRequired', 'InappropriateAuthentication'],
    cause: 'The directory refuses a simple bind over this connection: it requires TLS (ldaps://) or does not allow password binds for this account.',
    remedy: ['Use an ldaps:// Server URL (port 636 by default).', 'Ask the directory admin which bind methods the account may use.', 'Run {test} against the ldaps:// URL.'],
    link: LDAP_CODES,
  },
  {
    id: 'ldap.insufficient-access',
    provider: 'LDAP',
    codes: ['InsufficientAccess'],
    cause: 'The bind worked, but the account may not read the Base DN (Insufficient access, 50).',
    remedy: ['Ask the directory admin to grant the bind account read access to the Base DN.', 'Or set a Base DN the account may read, then Retry.', 'Run {test} to see the directory’s own answer.'],
    link: LDAP_CODES,
  },
  {
    id: 'ldap.unavailable',
    provider: 'LDAP',
    codes: ['Busy', 'Unavailable'],
    cause: 'The directory answered that it is busy or unavailable, so it gave no verdict on the credential.',
    remedy: ['Retry in a minute; the credential was not marked invalid.', 'If it persists, ask the directory admin about the server’s state or replication.'],
  },
  untrustedCertificate('LDAP', 'directory', 'Server URL'),
  {
    id: 'ldap.refused',
    provider: 'LDAP',
    codes: ['ECONNREFUSED'],
    cause: 'Nothing accepted the connection at the Server URL: the host or port is wrong, the directory is down, or a firewall rejects it.',
    remedy: [
      'Check the Server URL: ldaps:// for LDAP over TLS (port 636), ldap:// for plain LDAP (port 389).',
      'Check that the port is open from this machine to the directory server.',
      'Run {test} from this machine.',
    ],
  },
];

const POSTGRES: CatalogEntry[] = [
  {
    id: 'postgres.wrong-password',
    provider: 'POSTGRES',
    codes: ['28P01'],
    cause: 'PostgreSQL refused the password for this user (28P01): it is wrong or was changed since the credential was stored, or the user does not exist (the server does not say which).',
    remedy: [
      'Run {test}; it prompts for the password.',
      'If the password was changed on the server, edit the credential with the current one, then Retry.',
      'Ask the DBA to check that the role exists and has LOGIN (\\du in psql).',
    ],
    link: PG_AUTH,
  },
  {
    id: 'postgres.no-hba-entry',
    provider: 'POSTGRES',
    codes: ['28000'],
    message: /pg_hba\.conf/,
    cause: 'The server has no pg_hba.conf rule that lets this user reach this database from this machine with this TLS setting (28000), so it refused before checking the password.',
    remedy: [
      'If the message says “no encryption”, set TLS to require (the server may accept only hostssl connections).',
      'Ask the DBA to add a host (or hostssl) line for this user, database and this machine’s address with scram-sha-256, then reload the server.',
      'Run {test} from this machine.',
    ],
    link: PG_HBA,
  },
  {
    id: 'postgres.login-refused',
    provider: 'POSTGRES',
    codes: ['28000'],
    cause: 'The server refused this login before or after checking the password (28000), e.g. the role may not log in.',
    remedy: ['Read the server’s message above.', 'Ask the DBA to check the role (LOGIN, VALID UNTIL) and pg_hba.conf.', 'Run {test} to see the same answer.'],
    link: PG_AUTH,
  },
  {
    id: 'postgres.no-database',
    provider: 'POSTGRES',
    codes: ['3D000'],
    cause: 'The server has no database by that name (3D000): a typo in Database, or the database was dropped or renamed.',
    remedy: ['Run {test}: it lists the databases this user can see.', 'Edit the credential’s Database, then Retry.'],
    link: PG_AUTH,
  },
  {
    id: 'postgres.no-connect-privilege',
    provider: 'POSTGRES',
    codes: ['42501'],
    cause: 'The password is right, but the user may not connect to this database (42501, no CONNECT privilege).',
    remedy: ['Ask the DBA to GRANT CONNECT ON DATABASE to this user.', 'Run {test} to see the same answer.'],
    link: PG_AUTH,
  },
  {
    id: 'postgres.server-busy',
    provider: 'POSTGRES',
    codes: ['53300', '57P03', '57P01', '57P02'],
    cause: 'The server gave no verdict: it has too many connections, or it is starting up or shutting down.',
    remedy: ['Retry in a minute; the credential was not marked invalid.', 'If it persists, ask the DBA about max_connections and the server’s state.'],
  },
  {
    id: 'postgres.tls-not-supported',
    provider: 'POSTGRES',
    codes: ['TlsNotSupported'],
    cause: 'TLS is set to require, but the server does not accept TLS connections, so the password was not sent.',
    remedy: ['Ask the DBA to enable ssl on the server (preferred).', 'Only on a trusted network: set TLS to disable.', 'Run {test} to compare.'],
  },
  untrustedCertificate('POSTGRES', 'database server', 'Host field'),
  {
    id: 'postgres.refused',
    provider: 'POSTGRES',
    codes: ['ECONNREFUSED'],
    cause: 'Nothing accepted the connection at that host and port: the server is down, the port is wrong (5432 by default), or it listens only on other addresses.',
    remedy: [
      'Check Host and Port.',
      'Check that the server is running and that listen_addresses includes an address this machine can reach.',
      'Check firewalls between this machine and the server, then run {test}.',
    ],
    link: PG_AUTH,
  },
];

const REDIS: CatalogEntry[] = [
  {
    id: 'redis.wrongpass',
    provider: 'REDIS',
    codes: ['WRONGPASS'],
    cause: 'Redis refused the username/password pair (WRONGPASS, “invalid username-password pair”): the password is wrong, or the ACL user does not exist or is disabled.',
    remedy: [
      'Check the password, and the Username (empty means the default user).',
      'Ask the Redis admin to check the user with ACL GETUSER <username> (it must be “on”).',
      'Run {test}; it prompts for the password.',
      'Edit the credential with the current password, then Retry.',
    ],
    link: REDIS_ACL,
  },
  {
    id: 'redis.noauth',
    provider: 'REDIS',
    codes: ['NOAUTH'],
    cause: 'The server requires authentication (NOAUTH) and no password was sent.',
    remedy: ['Edit the credential and enter the password (and the ACL username if there is one).', 'Run {test}; it prompts for the password.'],
    link: REDIS_ACL,
  },
  {
    id: 'redis.noperm',
    provider: 'REDIS',
    codes: ['NOPERM'],
    cause: 'The user signed in, but its ACL does not allow the commands Keyward’s check sends (PING).',
    remedy: ['Ask the Redis admin to allow +ping for this user (ACL SETUSER <username> +ping).', 'Run {test} to see the same answer.'],
    link: REDIS_ACL,
  },
  {
    id: 'redis.no-password-configured',
    provider: 'REDIS',
    codes: ['NoPasswordConfigured'],
    cause: 'The server has no password for its default user, so it refused AUTH: this is probably not the server the credential was made for, or its password was removed.',
    remedy: ['Check Host and Port.', 'Ask the Redis admin whether requirepass or the default user’s password was removed.', 'If the server uses ACL users, set the Username.'],
    link: REDIS_ACL,
  },
  {
    id: 'redis.busy',
    provider: 'REDIS',
    codes: ['LOADING', 'BUSY', 'MASTERDOWN', 'TRYAGAIN', 'CLUSTERDOWN'],
    cause: 'The server gave no verdict: it is loading its data set, busy running a script, or its replication is down.',
    remedy: ['Retry in a minute; the credential was not marked invalid.', 'If it persists, ask the Redis admin about the server’s state.'],
  },
  untrustedCertificate('REDIS', 'Redis server', 'Host field'),
  {
    id: 'redis.refused',
    provider: 'REDIS',
    codes: ['ECONNREFUSED'],
    cause: 'Nothing accepted the connection at that host and port: Redis is down, the port is wrong (6379 by default), or it is bound to other addresses.',
    remedy: [
      'Check Host and Port.',
      'Check that Redis is running and that its bind directive includes an address this machine can reach.',
      'Check firewalls between this machine and the server, then run {test}.',
    ],
  },
];

const SHARED: CatalogEntry[] = [
  {
    id: 'connector.empty-password',
    provider: '*',
    codes: ['EmptyPassword'],
    cause: 'No password is stored for this credential, and a check without one proves nothing (an LDAP bind without a password is anonymous).',
    remedy: ['Edit the credential and enter the password, then Retry.'],
  },
  {
    id: 'connector.ca-invalid',
    provider: '*',
    codes: [CA_INVALID_CODE],
    cause: 'The CA certificate (PEM) stored with this credential is not a readable X.509 certificate, so Keyward did not connect; the credential itself was not judged.',
    remedy: [
      'Ask the server’s admin for the CA certificate file (PEM, -----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----).',
      'Check it with {test}: it prints the certificate’s subject and expiry when the file is readable.',
      'Edit the credential, paste the whole file into CA certificate (PEM) (or clear the field to use the system’s CAs), then Retry.',
    ],
    test: `openssl x509 -in ${CA_FILE} -noout -subject -issuer -enddate`,
  },
];

export const CONNECTOR_CATALOG: readonly CatalogEntry[] = [...LDAP, ...POSTGRES, ...REDIS, ...SHARED];
