import { publicField, secretField, validateHttpUrl } from './fields';
import { defineProvider } from './types';

// A HashiCorp Vault token, its server's address and (Enterprise/HCP) its namespace.

export const vault = defineProvider({
  id: 'VAULT',
  label: 'HashiCorp Vault',
  types: ['TOKEN'],
  testCommand: 'VAULT_ADDR=<address> vault token lookup',
  fields: [
    publicField('address', 'Address', 'url', {
      placeholder: 'https://vault.example.com:8200',
      metavar: 'URL',
      validate: (v) => (v ? validateHttpUrl('Address', v) : 'Address is required (what VAULT_ADDR holds).'),
    }),
    secretField('token', 'Token', { token: true }),
    publicField('namespace', 'Namespace', 'text', {
      required: false,
      placeholder: 'optional (Vault Enterprise / HCP), e.g. admin/team-a',
      metavar: 'NS',
      validate: (v) => (/\s/.test(v) ? 'Namespace must not contain spaces.' : /^\/|\/\/|^\.\.?$/.test(v) ? 'Namespace is a path such as admin/team-a, without a leading slash.' : null),
    }),
  ],
});
