import { catalogOf } from '../../diagnosis/entry';

// APISIX's rows of the diagnosis catalog.

// prettier-ignore
export const APISIX_CATALOG = catalogOf('APISIX', [
  { id: 'apisix.unauthorized', codes: ['Unauthorized', 'Forbidden'], cause: 'The APISIX Admin API rejected the Admin API key (wrong key, or the key was changed in APISIX’s config.yaml).', remedy: ['Check deployment.admin.admin_key in APISIX’s conf/config.yaml for the current key.', 'Check deployment.admin.allow_admin: this machine’s IP must be allowed.', 'Edit the credential with the right key, then Retry.'], link: 'https://apisix.apache.org/docs/apisix/admin-api/' },
  { id: 'apisix.not-found', codes: ['NotFound'], cause: 'The endpoint answered, but not as the APISIX Admin API: the URL or port is likely the gateway’s data port, not the admin port (9180 by default).', remedy: ['Point the Endpoint URL at the Admin API, e.g. http://host:9180.', 'Then Retry.'], link: 'https://apisix.apache.org/docs/apisix/admin-api/' },
]);
