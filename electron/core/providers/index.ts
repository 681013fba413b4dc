import type { ProviderId } from '../../../shared/providers';
import { apisixProvider } from './apisix/verify';
import { awsProvider } from './aws/verify';
import { ldapProvider } from './ldap/verify';
import { postgresProvider } from './postgres/verify';
import { redisProvider } from './redis/verify';
import { gcpProvider } from './gcp/verify';
import { azureProvider } from './azure/verify';
import { vaultProvider } from './vault/verify';
import type { ProviderModule } from './types';

export const PROVIDER_MODULES: Record<ProviderId, ProviderModule> = {
  AWS: awsProvider,
  APISIX: apisixProvider,
  LDAP: ldapProvider,
  POSTGRES: postgresProvider,
  REDIS: redisProvider,
  GCP: gcpProvider,
  AZURE: azureProvider,
  VAULT: vaultProvider,
};
