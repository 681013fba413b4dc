import { caCertField, publicField, secretField, urlOf } from './fields';
import { defineProvider } from './types';

// An LDAP bind account: server URL, Bind DN, optional Base DN, bind password and CA.

function validateLdapUrl(value: string): string | null {
  const notUrl = 'Enter a full LDAP URL such as ldaps://ldap.example.com:636 (scheme and host).';
  const url = urlOf(value, ['ldap:', 'ldaps:'], notUrl, (p) => `The server URL must start with ldap:// or ldaps://, not ${p}//.`);
  if (typeof url === 'string') return url;
  if (!url.hostname) return 'The server URL needs a host, e.g. ldaps://ldap.example.com.';
  if (url.username || url.password) return 'Do not put a user name or password in the URL.';
  if ((url.pathname && url.pathname !== '/') || url.search) {
    return 'The server URL is scheme, host and port only; put the Base DN in its own field.';
  }
  return null;
}

/** A DN is comma-separated attribute=value pairs: uid=svc,ou=people,dc=example,dc=com. */
function validateDn(label: string, value: string): string | null {
  if (!value.trim()) return `${label} is required.`;
  if (value !== value.trim()) return `${label} must not start or end with spaces.`;
  const parts = value.split(/(?<!\\),/);
  const bad = parts.find((p) => !/^\s*[A-Za-z][A-Za-z0-9-]*\s*=\s*\S/.test(p) && !/^\s*\d+(\.\d+)+\s*=\s*\S/.test(p));
  if (bad !== undefined) return `${label} is attribute=value pairs separated by commas, e.g. cn=keyward,ou=services,dc=example,dc=com; "${bad.trim()}" is not.`;
  return null;
}

export const ldap = defineProvider({
  id: 'LDAP',
  label: 'LDAP',
  types: ['BIND_PASSWORD'],
  testCommand: "ldapwhoami -x -H <server URL> -D '<bind DN>' -W",
  fields: [
    publicField('url', 'Server URL', 'url', {
      placeholder: 'ldaps://ldap.example.com:636',
      metavar: 'ldaps://HOST[:PORT]',
      validate: (v) => (v ? validateLdapUrl(v) : 'Server URL is required.'),
    }),
    publicField('bindDn', 'Bind DN', 'text', {
      placeholder: 'cn=keyward,ou=services,dc=example,dc=com',
      metavar: 'DN',
      validate: (v) => validateDn('Bind DN', v),
    }),
    publicField('baseDn', 'Base DN', 'text', {
      required: false,
      placeholder: 'optional, e.g. dc=example,dc=com',
      help: 'When set, Test connection also reads this entry after the bind.',
      metavar: 'DN',
      validate: (v) => (v ? validateDn('Base DN', v) : null),
    }),
    secretField('bindPassword', 'Bind password'),
    caCertField('for ldaps://'),
  ],
});
