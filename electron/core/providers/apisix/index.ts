import { apisix } from '../../../../shared/providers/apisix';
import { providerOf } from '../types';
import { APISIX_CATALOG } from './catalog';

// APISIX: an Admin API key, checked with GET /apisix/admin/routes (verify.ts).

export const apisixProvider = providerOf(apisix, () => import('./verify'), APISIX_CATALOG, {
  testCommand: (fields) => (fields.endpoint ? `curl -i -H 'X-API-KEY: <admin key>' ${fields.endpoint.replace(/\/$/, '')}/apisix/admin/routes` : null),
});
