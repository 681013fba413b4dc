import { aws } from '../../../../shared/providers/aws';
import { providerOf } from '../types';
import { AWS_CATALOG } from './catalog';

// AWS: an IAM user's access key, checked with sts:GetCallerIdentity (verify.ts). A failed
// check is looked into further (deepen.ts): who holds the key, which permission is missing.

export const awsProvider = providerOf(aws, () => import('./verify'), AWS_CATALOG, {
  testCommand(fields) {
    const parts = ['aws sts get-caller-identity'];
    if (fields.region) parts.push(`--region ${fields.region}`);
    if (fields.endpointUrl) parts.push(`--endpoint-url ${fields.endpointUrl}`);
    return parts.join(' ');
  },
  deepen: async (input) => (await import('./deepen')).deepenAws(input),
});
