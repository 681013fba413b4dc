import { caCertField, hostField, portField, publicField, secretField, tlsOnOffField } from './fields';
import { defineProvider } from './types';

// A Redis password, for the default user or a Redis 6+ ACL user.

export const redis = defineProvider({
  id: 'REDIS',
  label: 'Redis',
  types: ['PASSWORD'],
  testCommand: 'redis-cli -h <host> -p <port> --askpass PING',
  fields: [
    hostField('redis.example.com'),
    portField('6379'),
    publicField('username', 'Username', 'text', {
      required: false,
      placeholder: 'optional (Redis 6+ ACL user); empty for the default user',
      metavar: 'ACL_USER',
      validate: (v) => (/\s/.test(v) ? 'Username must not contain spaces.' : null),
    }),
    secretField('password', 'Password'),
    tlsOnOffField('off'),
    caCertField('with TLS on'),
  ],
});
