import { validateUrl } from './fields';
import { defineProvider } from './types';

// An Apache APISIX Admin API key and the Admin API's endpoint.

export const apisix = defineProvider({
  id: 'APISIX',
  label: 'APISIX',
  types: ['ADMIN_API_KEY'],
  testCommand: "curl -H 'X-API-KEY: <admin key>' <endpoint>/apisix/admin/routes",
  fields: [
    {
      key: 'endpoint',
      label: 'Endpoint URL',
      kind: 'url',
      required: true,
      secret: false,
      placeholder: 'http://apisix-admin:9180',
      metavar: 'URL',
      validate: (v) => (v ? validateUrl(v) : 'Endpoint URL is required.'),
    },
    {
      key: 'adminApiKey',
      label: 'Admin API Key',
      kind: 'secret',
      required: true,
      secret: true,
      validate: (v) => {
        if (!v) return 'Admin API Key is required.';
        if (/\s/.test(v)) return 'Admin API Key must not contain spaces or line breaks.';
        return null;
      },
    },
  ],
});
