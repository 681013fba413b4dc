import { z } from 'zod';
import { DELIVERY_LIMITS } from '../limits';
import { CheckErrorSchema, DiagnosisSchema } from '../schemas';

// Deliveries: the places a credential's key is copied to (bound System Parameters, an AWS
// credentials profile, a .env file, SSM Parameter Store, Secrets Manager). Rotation writes
// and checks each before the old key is deactivated. A delivery's config is never secret;
// no secret comes back out, key ids are masked.

/** A kind's id (`aws-profile`, `dotenv`, `system-parameters`, …); core checks it against its registry. */
export const DeliveryKindIdSchema = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z][a-z0-9-]*$/, 'a delivery kind is lower-case letters, digits and dashes');

const ConfigValue = z.union([z.string().max(DELIVERY_LIMITS.pathChars), z.number(), z.boolean(), z.null()]);

/** A delivery's non-secret config as it travels; each kind validates it with its own schema in core. */
export const DeliveryConfigSchema = z
  .record(z.string().max(64), ConfigValue)
  .refine((c) => Object.keys(c).length <= DELIVERY_LIMITS.configEntries, `at most ${DELIVERY_LIMITS.configEntries} config entries`);

/** What the last write or check found: never a secret, the key id masked. */
export const DeliveryOutcomeSchema = z.object({
  at: z.string(),
  ok: z.boolean(),
  /** The key the place holds (or was given), masked: AKIA************WXYZ. */
  accessKeyId: z.string().nullable(),
  /** What happened, in words ("wrote [prod] in ~/.aws/credentials", "GetCallerIdentity answered as arn:…"). */
  detail: z.string(),
  error: CheckErrorSchema.nullable(),
  diagnosis: DiagnosisSchema.nullable(),
});

export const DeliverySchema = z.object({
  id: z.string(),
  credentialId: z.string(),
  kind: DeliveryKindIdSchema,
  /** The kind's title ("AWS credentials profile"). */
  title: z.string(),
  /** The place in words ("[prod] in /home/me/.aws/credentials"). */
  description: z.string(),
  config: DeliveryConfigSchema,
  /** The credential that writes AWS places (SSM, Secrets Manager), when not the rotation's own. */
  writerCredentialId: z.string().nullable(),
  createdAt: z.string(),
  lastWrite: DeliveryOutcomeSchema.nullable(),
  lastCheck: DeliveryOutcomeSchema.nullable(),
});

const Ref = z.string().min(1).max(200);

/** One config field of a kind, as a form shows it (derived from the kind's config schema in core). */
const DeliveryKindFieldSchema = z.object({
  key: z.string(),
  label: z.string(),
  required: z.boolean(),
  /** What the kind uses when the field is left empty; null: nothing. */
  defaultValue: z.string().nullable(),
  help: z.string().nullable(),
  /** An AWS region: the form offers the list. */
  region: z.boolean(),
});

/** A kind as the window's Add form needs it. */
export const DeliveryKindViewSchema = z.object({
  id: DeliveryKindIdSchema,
  title: z.string(),
  fields: z.array(DeliveryKindFieldSchema),
  /** An AWS place (SSM, Secrets Manager): it may be written with another credential (`as`). */
  awsPlace: z.boolean(),
  /** False for the kind Keyward keeps by itself (System Parameters follow their bindings). */
  addable: z.boolean(),
});

export const deliveryChannels = {
  /** Every delivery, or one credential's. */
  'delivery.list': { request: z.object({ credentialId: Ref.optional() }), response: z.array(DeliverySchema) },
  /** Registers a place; with `write`, the credential's current key is written there now. */
  'delivery.add': {
    request: z.object({ credentialId: Ref, kind: DeliveryKindIdSchema, config: DeliveryConfigSchema, as: Ref.optional(), write: z.boolean().default(false) }),
    response: DeliverySchema,
  },
  'delivery.remove': { request: z.object({ id: Ref }), response: z.object({ id: z.string(), removed: z.literal(true) }) },
  /** Every kind, with the fields its config takes. */
  'delivery.kinds': { request: z.object({}), response: z.array(DeliveryKindViewSchema) },
  /** Reads back (and, where the kind can, checks the consumer with) a delivery, or every delivery of a credential. */
  'delivery.test': { request: z.object({ ref: Ref }), response: z.array(DeliverySchema) },
} as const;

export type Delivery = z.output<typeof DeliverySchema>;
export type DeliveryOutcome = z.output<typeof DeliveryOutcomeSchema>;
export type DeliveryConfig = z.output<typeof DeliveryConfigSchema>;
export type DeliveryKindView = z.output<typeof DeliveryKindViewSchema>;
