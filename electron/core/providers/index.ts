import type { ProviderId } from '../../../shared/providers';
import { apisixProvider } from './apisix/verify';
import { awsProvider } from './aws/verify';
import type { ProviderModule } from './types';

export const PROVIDER_MODULES: Record<ProviderId, ProviderModule> = {
  AWS: awsProvider,
  APISIX: apisixProvider,
};
