import { PROVIDER_DEFS, type ProviderId } from '../../../shared/providers';
import { apisixProvider } from './apisix';
import { awsProvider } from './aws';
import { azureProvider } from './azure';
import { gcpProvider } from './gcp';
import { ldapProvider } from './ldap';
import { mongodbProvider } from './mongodb';
import { postgresProvider } from './postgres';
import { redisProvider } from './redis';
import { vaultProvider } from './vault';
import type { Provider } from './types';

// The registry: every provider once. Each is a folder here (its check, catalog rows, test
// command, deeper diagnosis, CLI rules) with its fields in shared/providers/<id>.ts, which
// shared/providers/index.ts lists for the window. The provider table, the diagnosis
// catalog, the form and `keyward add` are all built from these two lists; a provider in
// one and not the other does not compile. Checks load on first use (lazyCheck).

export const PROVIDER_MODULES: Record<ProviderId, Provider> = {
  AWS: awsProvider,
  APISIX: apisixProvider,
  LDAP: ldapProvider,
  POSTGRES: postgresProvider,
  REDIS: redisProvider,
  GCP: gcpProvider,
  AZURE: azureProvider,
  VAULT: vaultProvider,
  MONGODB: mongodbProvider,
};

/** The providers in the window's order (shared/providers' list). */
export const PROVIDER_LIST: readonly Provider[] = PROVIDER_DEFS.map((d) => PROVIDER_MODULES[d.id]);
