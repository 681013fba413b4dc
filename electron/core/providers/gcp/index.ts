import { gcp } from '../../../../shared/providers/gcp';
import { sh } from '../shell';
import { providerOf } from '../types';
import { GCP_CATALOG } from './catalog';

// GCP: a service account key, checked with Google's JWT bearer grant (verify.ts). The
// test commands name the key file, never its content.

export const gcpProvider = providerOf(gcp, () => import('./verify'), GCP_CATALOG, {
  testCommand(fields, errorCode) {
    const email = fields.clientEmail ? sh(fields.clientEmail) : 'SERVICE_ACCOUNT_EMAIL';
    const project = fields.projectId ? ` --project=${sh(fields.projectId)}` : '';
    // Run with an admin's gcloud login: they show whether the key or the account still exists.
    if (errorCode === 'InvalidJwtSignature') return `gcloud iam service-accounts keys list --iam-account=${email}${project}`;
    if (errorCode === 'AccountNotFound' || errorCode === 'ServiceAccountDisabled') return `gcloud iam service-accounts describe ${email}${project}`;
    return `gcloud auth activate-service-account ${email} --key-file=KEY.json && gcloud auth print-access-token ${email}`;
  },
});
