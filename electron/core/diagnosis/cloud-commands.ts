import { AZURE_DEFAULT_AUTHORITY } from '../../../shared/cloud-fields';
import type { ProviderId } from '../../../shared/providers';

// The command that tests a GCP, Azure or HashiCorp Vault credential outside Keyward,
// with its own settings. None holds a secret: the key file is named, the client secret is
// read without echo into a shell variable, the Vault token comes from VAULT_TOKEN.

function sh(value: string): string {
  return /^[A-Za-z0-9_./:@=,-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export function cloudTestCommand(provider: ProviderId, fields: Record<string, string>, errorCode?: string): string | null {
  if (provider === 'GCP') {
    const email = fields.clientEmail ? sh(fields.clientEmail) : 'SERVICE_ACCOUNT_EMAIL';
    const project = fields.projectId ? ` --project=${sh(fields.projectId)}` : '';
    // Run with an admin's gcloud login: they show whether the key or the account still exists.
    if (errorCode === 'InvalidJwtSignature') return `gcloud iam service-accounts keys list --iam-account=${email}${project}`;
    if (errorCode === 'AccountNotFound' || errorCode === 'ServiceAccountDisabled') return `gcloud iam service-accounts describe ${email}${project}`;
    return `gcloud auth activate-service-account ${email} --key-file=KEY.json && gcloud auth print-access-token ${email}`;
  }
  if (provider === 'AZURE' && fields.tenantId && fields.clientId) {
    const tenant = sh(fields.tenantId);
    const app = sh(fields.clientId);
    if (errorCode === 'AADSTS7000222') return `az ad app credential list --id ${app}`;
    if (errorCode === 'AADSTS700016') return `az ad sp show --id ${app}`;
    if (errorCode === 'AADSTS90002') {
      const authority = (fields.authorityHost || AZURE_DEFAULT_AUTHORITY).replace(/\/+$/, '');
      return `curl -s ${sh(`${authority}/${fields.tenantId}/v2.0/.well-known/openid-configuration`)}`;
    }
    return `read -rs AZ_SECRET && az login --service-principal -u ${app} -p "$AZ_SECRET" --tenant ${tenant} --allow-no-subscriptions`;
  }
  if (provider === 'VAULT' && fields.address) {
    const env = [`VAULT_ADDR=${sh(fields.address)}`, ...(fields.namespace ? [`VAULT_NAMESPACE=${sh(fields.namespace)}`] : [])].join(' ');
    if (errorCode === 'VaultSealed' || errorCode === 'NotVault' || /^HTTP5/.test(errorCode ?? '')) return `${env} vault status`;
    return `${env} vault token lookup`;
  }
  return null;
}
