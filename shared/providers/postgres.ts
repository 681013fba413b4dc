import { caCertField, hostField, portField, secretField, tlsField, validateName63 } from './fields';
import { defineProvider } from './types';

// A PostgreSQL login: host, port, database, user, password, TLS and an optional CA.

export const postgres = defineProvider({
  id: 'POSTGRES',
  label: 'PostgreSQL',
  types: ['PASSWORD'],
  testCommand: "psql 'host=<host> port=<port> dbname=<database> user=<user>' -c 'SELECT 1'",
  fields: [
    hostField('db.example.com'),
    portField('5432'),
    { key: 'database', label: 'Database', kind: 'text', required: true, secret: false, placeholder: 'app', metavar: 'DB', validate: (v) => validateName63('Database', v) },
    { key: 'user', label: 'User', kind: 'text', required: true, secret: false, placeholder: 'app_user', metavar: 'USER', validate: (v) => validateName63('User', v) },
    secretField('password', 'Password'),
    tlsField('require', [
      { value: 'require', label: 'require — TLS, certificate verified' },
      { value: 'disable', label: 'disable — no TLS' },
    ]),
    caCertField('with TLS require'),
  ],
});
