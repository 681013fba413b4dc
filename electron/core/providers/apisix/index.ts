import { apisix } from '../../../../shared/providers/apisix';
import { lazyCheck, type Provider } from '../types';
import { APISIX_CATALOG } from './catalog';

// APISIX: an Admin API key, checked with GET /apisix/admin/routes (verify.ts).

export const apisixProvider: Provider = {
  def: apisix,
  check: lazyCheck(() => import('./verify')),
  catalog: APISIX_CATALOG,
  testCommand: (fields) => (fields.endpoint ? `curl -i -H 'X-API-KEY: <admin key>' ${fields.endpoint.replace(/\/$/, '')}/apisix/admin/routes` : null),
};
