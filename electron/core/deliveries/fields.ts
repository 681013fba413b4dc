import { z } from 'zod';
import type { DeliveryKindView } from '../../../shared/channels/deliveries';
import { DELIVERY_KINDS } from './index';
import type { AnyDeliveryKind } from './kind';

// Each kind's config fields as the window's Add form shows them, read from the kind's own
// config schema (as `keyward delivery add` reads its flags), so a kind added to the
// registry gets its form with no change in the window. Labels for the keys kinds use
// today; a new key is shown by its name until it gets one here.

const LABELS: Record<string, { label: string; help?: string }> = {
  file: { label: 'File', help: 'The full path; a relative path is taken from your home folder. A backup of the file is kept beside it when Keyward writes it.' },
  profile: { label: 'Profile', help: 'The [section] of the credentials file.' },
  idVar: { label: 'Variable for the key ID' },
  secretVar: { label: 'Variable for the secret' },
  name: { label: 'Parameter name', help: 'A SecureString parameter, e.g. /app/prod/aws.' },
  kmsKeyId: { label: 'KMS key', help: 'Key id, ARN or alias; the account’s alias/aws/ssm when empty.' },
  secretId: { label: 'Secret name or ARN' },
  region: { label: 'Region', help: 'Where the place lives; the writing credential’s region when empty.' },
  idField: { label: 'JSON field for the key ID' },
  secretField: { label: 'JSON field for the secret' },
};

const humanize = (key: string) => key.replace(/[A-Z]/g, (c) => ` ${c.toLowerCase()}`).replace(/^./, (c) => c.toUpperCase());

function fieldsOf(kind: AnyDeliveryKind): DeliveryKindView['fields'] {
  if (!(kind.configSchema instanceof z.ZodObject)) return [];
  return Object.entries(kind.configSchema.shape as Record<string, z.ZodType>).map(([key, schema]) => {
    const empty = schema.safeParse(undefined);
    const known = LABELS[key];
    return {
      key,
      label: known?.label ?? humanize(key),
      required: !empty.success,
      defaultValue: empty.success && empty.data !== undefined ? String(empty.data) : null,
      help: known?.help ?? null,
      region: key === 'region',
    };
  });
}

export function deliveryKindViews(): DeliveryKindView[] {
  return DELIVERY_KINDS.map((kind) => {
    const fields = fieldsOf(kind);
    return { id: kind.id, title: kind.title, fields, awsPlace: fields.some((f) => f.region), addable: kind.id !== 'system-parameters' };
  });
}
