import { AWS_REGION_CODES, AWS_REGIONS, DEFAULT_AWS_REGION } from '../regions';
import { publicField, secretField, validateUrl } from './fields';
import { defineProvider } from './types';

// An AWS IAM user's long-term access key: key id, secret, region and an optional endpoint.

export const AWS_ACCESS_KEY_ID = /^AKIA[A-Z0-9]{16}$/;

export const aws = defineProvider({
  id: 'AWS',
  label: 'AWS',
  types: ['ACCESS_KEY'],
  testCommand: 'aws sts get-caller-identity',
  fillFrom: 'aws-access-key-csv',
  fields: [
    publicField('accessKeyId', 'Access Key ID', 'text', {
      placeholder: 'AKIA…',
      mono: true,
      metavar: 'ID',
      validate: (v) => {
        if (!v) return 'Access Key ID is required.';
        if (/\s/.test(v)) return 'Access Key ID must not contain spaces.';
        if (v !== v.toUpperCase()) return 'Access Key ID is upper-case letters and digits only.';
        if (!v.startsWith('AKIA'))
          return v.startsWith('ASIA') ? 'ASIA… keys are temporary session keys; Keyward stores long-term IAM user keys (AKIA…).' : 'An IAM user access key ID starts with AKIA.';
        if (v.length !== 20) return `Access Key ID is 20 characters; this one has ${v.length}.`;
        if (!AWS_ACCESS_KEY_ID.test(v)) return 'Access Key ID is upper-case letters and digits only.';
        return null;
      },
    }),
    secretField('secretAccessKey', 'Secret Access Key', {
      token: true,
      more: (v) => {
        if (v.length !== 40) return `Secret Access Key is 40 characters; this one has ${v.length}.`;
        if (!/^[A-Za-z0-9/+=]{40}$/.test(v)) return 'Secret Access Key holds only letters, digits, / + and =.';
        return null;
      },
    }),
    publicField('region', 'Region', 'select', {
      defaultValue: DEFAULT_AWS_REGION,
      metavar: 'R',
      options: AWS_REGIONS.map((r) => ({ value: r.code, label: `${r.code} — ${r.name}` })),
      validate: (v) => (AWS_REGION_CODES.includes(v) ? null : `Unknown AWS region "${v}". Pick one such as us-east-1.`),
    }),
    publicField('endpointUrl', 'Endpoint URL', 'url', {
      required: false,
      placeholder: 'optional, e.g. https://sts.us-gov-west-1.amazonaws.com',
      help: 'Only for GovCloud, China, VPC endpoints or an AWS-compatible test server.',
      metavar: 'URL',
      validate: (v) => (v ? validateUrl(v) : null),
    }),
  ],
});
