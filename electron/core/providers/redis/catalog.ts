import { catalogOf, untrustedCertificate } from '../../diagnosis/entry';

// Redis's rows of the diagnosis catalog: the seeds' connector rows and the neighbours an
// admin meets next. `{test}` becomes the credential's own test command, which prompts for
// the password and never holds it.

const REDIS_ACL = 'https://redis.io/docs/latest/operate/oss_and_stack/management/security/acl/';

// prettier-ignore
export const REDIS_CATALOG = catalogOf('REDIS', [
  { id: 'redis.wrongpass', codes: ['WRONGPASS'], cause: 'Redis refused the username/password pair (WRONGPASS, “invalid username-password pair”): the password is wrong, or the ACL user does not exist or is disabled.', remedy: ['Check the password, and the Username (empty means the default user).', 'Ask the Redis admin to check the user with ACL GETUSER <username> (it must be “on”).', 'Run {test}; it prompts for the password.', 'Edit the credential with the current password, then Retry.'], link: REDIS_ACL },
  { id: 'redis.noauth', codes: ['NOAUTH'], cause: 'The server requires authentication (NOAUTH) and no password was sent.', remedy: ['Edit the credential and enter the password (and the ACL username if there is one).', 'Run {test}; it prompts for the password.'], link: REDIS_ACL },
  { id: 'redis.noperm', codes: ['NOPERM'], cause: 'The user signed in, but its ACL does not allow the commands Keyward’s check sends (PING).', remedy: ['Ask the Redis admin to allow +ping for this user (ACL SETUSER <username> +ping).', 'Run {test} to see the same answer.'], link: REDIS_ACL },
  { id: 'redis.no-password-configured', codes: ['NoPasswordConfigured'], cause: 'The server has no password for its default user, so it refused AUTH: this is probably not the server the credential was made for, or its password was removed.', remedy: ['Check Host and Port.', 'Ask the Redis admin whether requirepass or the default user’s password was removed.', 'If the server uses ACL users, set the Username.'], link: REDIS_ACL },
  { id: 'redis.busy', codes: ['LOADING', 'BUSY', 'MASTERDOWN', 'TRYAGAIN', 'CLUSTERDOWN'], cause: 'The server gave no verdict: it is loading its data set, busy running a script, or its replication is down.', remedy: ['Retry in a minute; the credential was not marked invalid.', 'If it persists, ask the Redis admin about the server’s state.'] },
  untrustedCertificate('REDIS', 'Redis server', 'Host field'),
  { id: 'redis.refused', codes: ['ECONNREFUSED'], cause: 'Nothing accepted the connection at that host and port: Redis is down, the port is wrong (6379 by default), or it is bound to other addresses.', remedy: ['Check Host and Port.', 'Check that Redis is running and that its bind directive includes an address this machine can reach.', 'Check firewalls between this machine and the server, then run {test}.'] },
]);
