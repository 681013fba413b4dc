import { secretField, validateHttpUrl } from './fields';
import { defineProvider } from './types';

// A HashiCorp Vault token, its server's address and (Enterprise/HCP) its namespace.

export const vault = defineProvider({
  id: 'VAULT',
  label: 'HashiCorp Vault',
  types: ['TOKEN'],
  testCommand: 'VAULT_ADDR=<address> vault token lookup',
  fields: [
    {
      key: 'address',
      label: 'Address',
      kind: 'url',
      required: true,
      secret: false,
      placeholder: 'https://vault.example.com:8200',
      metavar: 'URL',
      validate: (v) => (v ? validateHttpUrl('Address', v) : 'Address is required (what VAULT_ADDR holds).'),
    },
    secretField('token', 'Token', { token: true }),
    {
      key: 'namespace',
      label: 'Namespace',
      kind: 'text',
      required: false,
      secret: false,
      placeholder: 'optional (Vault Enterprise / HCP), e.g. admin/team-a',
      metavar: 'NS',
      validate: (v) => (/\s/.test(v) ? 'Namespace must not contain spaces.' : /^\/|\/\/|^\.\.?$/.test(v) ? 'Namespace is a path such as admin/team-a, without a leading slash.' : null),
    },
  ],
});
