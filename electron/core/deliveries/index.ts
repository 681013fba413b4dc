import { KeywardError } from '../errors';
import { awsProfileKind } from './aws-profile';
import { dotenvKind } from './dotenv';
import type { AnyDeliveryKind } from './kind';
import { secretsManagerKind } from './secrets-manager';
import { ssmParameterKind } from './ssm-parameter';
import { systemParametersKind } from './system-parameters';

// Every delivery kind, once. `keyward delivery add --kind`, the rotation's apply step, the
// IAM policy generator and the details panel all read this list.

export const DELIVERY_KINDS: readonly AnyDeliveryKind[] = [systemParametersKind, awsProfileKind, dotenvKind, ssmParameterKind, secretsManagerKind];

export function deliveryKind(id: string): AnyDeliveryKind {
  const kind = DELIVERY_KINDS.find((k) => k.id === id);
  if (!kind) throw new KeywardError('INVALID_INPUT', `No delivery kind "${id}": one of ${DELIVERY_KINDS.map((k) => k.id).join(', ')}.`);
  return kind;
}

export type { AnyDeliveryKind, DeliveredKey, DeliveryCheck, DeliveryContext, DeliveryKind, DeliveryStatement, PolicyTarget } from './kind';
