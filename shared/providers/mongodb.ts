import { caCertField, hostField, portField, publicField, secretField, tlsOnOffField, validateName63 } from './fields';
import { defineProvider } from './types';

// A MongoDB user: host, port, the database it authenticates against (where the user was
// created, often admin), user, password (SCRAM-SHA-256), TLS and an optional CA.

export const mongodb = defineProvider({
  id: 'MONGODB',
  label: 'MongoDB',
  types: ['PASSWORD'],
  testCommand: "mongosh --host <host> --port <port> --username <user> --authenticationDatabase <database> --eval 'db.runCommand({ ping: 1 })'",
  fields: [
    hostField('mongo.example.com'),
    portField('27017'),
    publicField('database', 'Database', 'text', {
      placeholder: 'admin',
      help: 'The database the user was created in (its authentication database), e.g. admin.',
      metavar: 'DB',
      // MongoDB database names: at most 63 bytes, none of / \ . " $ or a space.
      validate: (v) => validateName63('Database', v) ?? (/[/\\."$]/.test(v) ? 'Database must not contain / \\ . " or $.' : null),
    }),
    { key: 'user', label: 'User', kind: 'text', required: true, secret: false, placeholder: 'app_user', metavar: 'USER', validate: (v) => validateName63('User', v, 256) },
    secretField('password', 'Password'),
    tlsOnOffField('on'),
    caCertField('with TLS on'),
  ],
});
