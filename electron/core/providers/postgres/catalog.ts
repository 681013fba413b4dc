import { catalogOf, untrustedCertificate } from '../../diagnosis/entry';

// PostgreSQL's rows of the diagnosis catalog: the seeds' connector rows and the neighbours an
// admin meets next. `{test}` becomes the credential's own test command, which prompts for
// the password and never holds it.

const PG_AUTH = 'https://www.postgresql.org/docs/current/client-authentication-problems.html';
const PG_HBA = 'https://www.postgresql.org/docs/current/auth-pg-hba-conf.html';

// prettier-ignore
export const POSTGRES_CATALOG = catalogOf('POSTGRES', [
  { id: 'postgres.wrong-password', codes: ['28P01'], cause: 'PostgreSQL refused the password for this user (28P01): it is wrong or was changed since the credential was stored, or the user does not exist (the server does not say which).', remedy: ['Run {test}; it prompts for the password.', 'If the password was changed on the server, edit the credential with the current one, then Retry.', 'Ask the DBA to check that the role exists and has LOGIN (\\du in psql).'], link: PG_AUTH },
  { id: 'postgres.no-hba-entry', codes: ['28000'], message: /pg_hba\.conf/, cause: 'The server has no pg_hba.conf rule that lets this user reach this database from this machine with this TLS setting (28000), so it refused before checking the password.', remedy: ['If the message says “no encryption”, set TLS to require (the server may accept only hostssl connections).', 'Ask the DBA to add a host (or hostssl) line for this user, database and this machine’s address with scram-sha-256, then reload the server.', 'Run {test} from this machine.'], link: PG_HBA },
  { id: 'postgres.login-refused', codes: ['28000'], cause: 'The server refused this login before or after checking the password (28000), e.g. the role may not log in.', remedy: ['Read the server’s message above.', 'Ask the DBA to check the role (LOGIN, VALID UNTIL) and pg_hba.conf.', 'Run {test} to see the same answer.'], link: PG_AUTH },
  { id: 'postgres.no-database', codes: ['3D000'], cause: 'The server has no database by that name (3D000): a typo in Database, or the database was dropped or renamed.', remedy: ['Run {test}: it lists the databases this user can see.', 'Edit the credential’s Database, then Retry.'], link: PG_AUTH },
  { id: 'postgres.no-connect-privilege', codes: ['42501'], cause: 'The password is right, but the user may not connect to this database (42501, no CONNECT privilege).', remedy: ['Ask the DBA to GRANT CONNECT ON DATABASE to this user.', 'Run {test} to see the same answer.'], link: PG_AUTH },
  { id: 'postgres.server-busy', codes: ['53300', '57P03', '57P01', '57P02'], cause: 'The server gave no verdict: it has too many connections, or it is starting up or shutting down.', remedy: ['Retry in a minute; the credential was not marked invalid.', 'If it persists, ask the DBA about max_connections and the server’s state.'] },
  { id: 'postgres.tls-not-supported', codes: ['TlsNotSupported'], cause: 'TLS is set to require, but the server does not accept TLS connections, so the password was not sent.', remedy: ['Ask the DBA to enable ssl on the server (preferred).', 'Only on a trusted network: set TLS to disable.', 'Run {test} to compare.'] },
  untrustedCertificate('POSTGRES', 'database server', 'Host field'),
  { id: 'postgres.refused', codes: ['ECONNREFUSED'], cause: 'Nothing accepted the connection at that host and port: the server is down, the port is wrong (5432 by default), or it listens only on other addresses.', remedy: ['Check Host and Port.', 'Check that the server is running and that listen_addresses includes an address this machine can reach.', 'Check firewalls between this machine and the server, then run {test}.'], link: PG_AUTH },
]);
