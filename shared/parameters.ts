// System Parameters: an application's integration settings (e.g. Synergist's
// "Utilities → System Parameters": IAM Access Key, Secret IAM Key, bucket, region).
// Pure: the page validates as the admin types, core validates the same rules again.

export const PARAMETER_TYPES = ['text', 'number', 'boolean', 'choice', 'secret'] as const;
export type ParameterType = (typeof PARAMETER_TYPES)[number];

/** The credential fields a parameter can be bound to (and so follow through edits and rotations). */
export const BINDABLE_FIELDS = ['accessKeyId', 'secretAccessKey', 'region'] as const;

/** What an AWS "Perform test" reads from a group: the parameters playing these roles. */
export const AWS_FIELDS = ['accessKeyId', 'secretAccessKey', 'region', 'endpointUrl'] as const;
export type AwsField = (typeof AWS_FIELDS)[number];

const PARAMETER_KEY = /^[A-Za-z][A-Za-z0-9_.-]{0,99}$/;

export function validateParameterKey(key: string): string | null {
  return PARAMETER_KEY.test(key) ? null : `"${key}" is not a parameter key: start with a letter; letters, digits, _ . - only; at most 100 characters.`;
}

/** Checks a value against its type; returns the value as stored (booleans normalised) or an error. */
export function normaliseParameterValue(type: ParameterType, value: string, choices: readonly string[] | null = null): { value: string } | { error: string } {
  switch (type) {
    case 'text':
      return value.length <= 4096 ? { value } : { error: 'At most 4096 characters.' };
    case 'number':
      return /^-?\d+(\.\d+)?$/.test(value.trim()) ? { value: value.trim() } : { error: `"${value}" is not a number.` };
    case 'boolean': {
      const v = value.trim().toLowerCase();
      if (['true', 'yes', '1', 'on'].includes(v)) return { value: 'true' };
      if (['false', 'no', '0', 'off'].includes(v)) return { value: 'false' };
      return { error: `"${value}" is not true or false.` };
    }
    case 'choice':
      return choices?.includes(value) ? { value } : { error: `"${value}" is not one of: ${(choices ?? []).join(', ')}.` };
    case 'secret':
      return value.length > 0 && value.length <= 4096 ? { value } : { error: 'A secret value cannot be empty.' };
  }
}

/** A starting set for an application keeping its AWS S3 settings (as Synergist does); offered, never pre-seeded. */
export const AWS_S3_TEMPLATE: ReadonlyArray<{ key: string; label: string; type: ParameterType; awsField: AwsField | null; choices?: string[]; description: string }> = [
  { key: 'IAM_ACCESS_KEY', label: 'IAM Access Key', type: 'text', awsField: 'accessKeyId', description: 'The access key id the application signs with.' },
  { key: 'SECRET_IAM_KEY', label: 'Secret IAM Key', type: 'secret', awsField: 'secretAccessKey', description: 'The secret of that access key (write-only).' },
  { key: 'S3_BUCKET', label: 'S3 Bucket', type: 'text', awsField: null, description: 'Where the application stores attachments and files.' },
  { key: 'AWS_REGION', label: 'Region', type: 'text', awsField: 'region', description: 'The bucket’s region, e.g. us-east-1.' },
];
