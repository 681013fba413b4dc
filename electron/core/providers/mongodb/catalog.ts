import { catalogOf, untrustedCertificate } from '../../diagnosis/entry';

// MongoDB's rows of the diagnosis catalog: the runbook's "password authentication failed"
// and "connection refused" rows (PostgreSQL / MongoDB / Redis), and the neighbours an admin
// meets next. `{test}` becomes the credential's mongosh command, which prompts for the
// password and never holds it.

const MONGO_AUTH = 'https://www.mongodb.com/docs/manual/core/security-scram/';
const MONGO_BIND_IP = 'https://www.mongodb.com/docs/manual/core/security-mongodb-configuration/';

// prettier-ignore
export const MONGODB_CATALOG = catalogOf('MONGODB', [
  { id: 'mongodb.auth-failed', codes: ['AuthenticationFailed', 'UserNotFound'], cause: 'MongoDB refused the password for this user (AuthenticationFailed, 18): the password was changed since the credential was stored, or the user does not exist in this Database (the server does not say which).', remedy: ['Run {test}; it prompts for the password.', 'If the password was changed on the server, edit the credential with the current one, then Retry.', 'Check the Database: it is the one the user was created in (its authentication database, often admin); ask the DBA to check with db.getUser("<user>") there.'], link: MONGO_AUTH },
  { id: 'mongodb.unauthorized', codes: ['Unauthorized'], cause: 'The user signed in, but MongoDB does not allow it the command Keyward’s check sends (Unauthorized, 13).', remedy: ['Ask the DBA to check the user’s roles in this Database (db.getUser("<user>")).', 'Run {test} to see the same answer.'], link: MONGO_AUTH },
  { id: 'mongodb.mechanism', codes: ['MechanismUnavailable'], cause: 'The server does not offer SCRAM-SHA-256 for this user (MechanismUnavailable, 334): the user was created with SCRAM-SHA-1 only, or SCRAM-SHA-256 is disabled (authenticationMechanisms).', remedy: ['Ask the DBA to update the user with mechanisms: ["SCRAM-SHA-256"] (db.updateUser) or to enable SCRAM-SHA-256 on the server.', 'Run {test} to compare.'], link: MONGO_AUTH },
  untrustedCertificate('MONGODB', 'MongoDB server', 'Host field'),
  { id: 'mongodb.refused', codes: ['ECONNREFUSED'], cause: 'Nothing accepted the connection at that host and port: mongod is down, the port is wrong (27017 by default), or its bindIp does not include an address this machine can reach.', remedy: ['Verify Host and Port.', 'Check that the database is running (systemctl status mongod, or the cluster’s status page).', 'Check that mongod’s net.bindIp (and any firewall or IP access list) allows connections from this machine, then run {test}.'], link: MONGO_BIND_IP },
]);
