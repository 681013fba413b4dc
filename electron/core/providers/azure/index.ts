import { AZURE_DEFAULT_AUTHORITY, azure } from '../../../../shared/providers/azure';
import { sh } from '../shell';
import { providerOf } from '../types';
import { AZURE_CATALOG } from './catalog';
import { expiryPassed } from './expiry';

// Azure: an app's client secret, checked with the client credentials grant (verify.ts).
// The test command reads the secret without echo into a shell variable.

export const azureProvider = providerOf(azure, () => import('./verify'), AZURE_CATALOG, {
  testCommand(fields, errorCode) {
    if (!fields.tenantId || !fields.clientId) return null;
    const tenant = sh(fields.tenantId);
    const app = sh(fields.clientId);
    if (errorCode === 'AADSTS7000222') return `az ad app credential list --id ${app}`;
    if (errorCode === 'AADSTS700016') return `az ad sp show --id ${app}`;
    if (errorCode === 'AADSTS90002') {
      const authority = (fields.authorityHost || AZURE_DEFAULT_AUTHORITY).replace(/\/+$/, '');
      return `curl -s ${sh(`${authority}/${fields.tenantId}/v2.0/.well-known/openid-configuration`)}`;
    }
    return `read -rs AZ_SECRET && az login --service-principal -u ${app} -p "$AZ_SECRET" --tenant ${tenant} --allow-no-subscriptions`;
  },
  // A recorded secret expiry date in the past is said even when no answer came.
  found(fields) {
    const passed = expiryPassed(fields.expiresAt);
    return passed ? { found: passed } : null;
  },
});
