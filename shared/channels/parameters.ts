import { z } from 'zod';
import { FILE_LIMITS } from '../limits';
import { AWS_FIELDS, BINDABLE_FIELDS, PARAMETER_TYPES } from '../parameters';
import { CheckErrorSchema, DiagnosisSchema, IdentitySchema } from '../schemas';

// The System Parameters page. A secret value may go in (parameters.set); none comes out.

const ParameterSchema = z.object({
  key: z.string(),
  label: z.string(),
  group: z.string(),
  type: z.enum(PARAMETER_TYPES),
  choices: z.array(z.string()).nullable(),
  awsField: z.enum(AWS_FIELDS).nullable(),
  /** null for a secret: write-only. */
  value: z.string().nullable(),
  hasValue: z.boolean(),
  boundTo: z.object({ credentialId: z.string(), credentialName: z.string(), field: z.enum(AWS_FIELDS) }).nullable(),
  description: z.string(),
  updatedAt: z.string(),
});

const Key = z.string().min(1).max(100);

/** A parameter's definition: label, group, type, choices, AWS role. */
const Definition = {
  label: z.string().max(200).optional(),
  group: z.string().min(1).max(100).optional(),
  type: z.enum(PARAMETER_TYPES).optional(),
  choices: z.array(z.string().max(200)).max(100).nullable().optional(),
  awsField: z.enum(AWS_FIELDS).nullable().optional(),
};

export const parameterChannels = {
  'parameters.list': { request: z.object({ group: z.string().optional(), search: z.string().max(200).optional() }), response: z.array(ParameterSchema) },
  'parameters.get': { request: z.object({ key: Key }), response: ParameterSchema },
  'parameters.define': {
    request: z.object({ key: Key, ...Definition, description: z.string().max(1000).optional() }),
    response: ParameterSchema,
  },
  /** Sets a value; a definition given with it (CLI: --group, --type, …) is applied in the same transaction. */
  'parameters.set': { request: z.object({ key: Key, value: z.string().max(4096), ...Definition }), response: ParameterSchema },
  'parameters.bind': { request: z.object({ key: Key, credentialId: z.string().min(1), field: z.enum(BINDABLE_FIELDS) }), response: ParameterSchema },
  'parameters.unbind': { request: z.object({ key: Key }), response: ParameterSchema },
  'parameters.delete': { request: z.object({ key: Key }), response: z.object({ key: z.string(), deleted: z.literal(true) }) },
  'parameters.test': {
    request: z.object({ group: z.string().min(1) }),
    response: z.object({
      group: z.string(),
      status: z.enum(['VALID', 'INVALID', 'UNREACHABLE']),
      identity: IdentitySchema.nullable(),
      error: CheckErrorSchema.nullable(),
      diagnosis: DiagnosisSchema.nullable(),
      at: z.string(),
    }),
  },
  'parameters.export': {
    request: z.object({ group: z.string().min(1), format: z.enum(['json', 'env']).default('json') }),
    response: z.object({ filename: z.string(), content: z.string() }),
  },
  'parameters.import': { request: z.object({ content: z.string().max(FILE_LIMITS.paramsImport.bytes) }), response: z.array(ParameterSchema) },
  'parameters.template': { request: z.object({ group: z.string().min(1).max(100), prefix: z.string().max(40).default('') }), response: z.array(ParameterSchema) },
} as const;

export type ParameterView = z.output<typeof ParameterSchema>;
