import { publicField, secretField, validateUrl } from './fields';
import { defineProvider } from './types';

// An Apache APISIX Admin API key and the Admin API's endpoint.

export const apisix = defineProvider({
  id: 'APISIX',
  label: 'APISIX',
  types: ['ADMIN_API_KEY'],
  testCommand: "curl -H 'X-API-KEY: <admin key>' <endpoint>/apisix/admin/routes",
  fields: [
    publicField('endpoint', 'Endpoint URL', 'url', {
      placeholder: 'http://apisix-admin:9180',
      metavar: 'URL',
      validate: (v) => (v ? validateUrl(v) : 'Endpoint URL is required.'),
    }),
    secretField('adminApiKey', 'Admin API Key', { token: true }),
  ],
});
