import { z } from 'zod';
import { CheckErrorSchema, CredentialStatusSchema, DiagnosisSchema } from '../schemas';

const ResourceSchema = z.object({
  id: z.string(),
  credentialId: z.string(),
  kind: z.literal('AWS_SECURITY_GROUP'),
  groupId: z.string(),
  region: z.string(),
  status: CredentialStatusSchema,
  lastCheckedAt: z.string().nullable(),
  error: CheckErrorSchema.nullable(),
  diagnosis: DiagnosisSchema.nullable(),
  createdAt: z.string(),
});

const PolicyStatementSchema = z.object({ Sid: z.string(), Effect: z.literal('Allow'), Action: z.array(z.string()), Resource: z.union([z.string(), z.array(z.string())]) });
const PolicyDocumentSchema = z.object({ Version: z.literal('2012-10-17'), Statement: z.array(PolicyStatementSchema) });

const PolicyResultSchema = z.object({
  document: PolicyDocumentSchema,
  /** The document split into several when it is over IAM's managed-policy size. */
  parts: z.array(PolicyDocumentSchema),
  /** Things the reader should know (an account not known yet, a split). */
  notes: z.array(z.string()),
  /** Credentials whose access-key actions were included, and why. */
  rotation: z.array(z.object({ credential: z.string(), reason: z.enum(['journal', 'asked']) })),
});

/** AWS security groups under credentials, their capacity checks, and the IAM policy they need. */
export const resourceChannels = {
  'resources.list': { request: z.object({ credentialId: z.string().optional() }), response: z.array(ResourceSchema) },
  'resources.add': {
    request: z.object({ credentialId: z.string(), groupId: z.string().max(40), region: z.string().max(30).optional() }),
    response: ResourceSchema,
  },
  'resources.verify': { request: z.object({ id: z.string() }), response: ResourceSchema },
  'resources.verifyAll': { request: z.object({ credentialId: z.string().optional() }), response: z.array(ResourceSchema) },
  /** The region-mismatch fix: move the resource to the region where its group is. */
  'resources.setRegion': { request: z.object({ id: z.string(), region: z.string().max(30) }), response: ResourceSchema },
  /** Reassigns resources (by id, or all of one credential's) to another credential of the same provider, then verifies them. */
  'resources.move': {
    request: z.object({ ids: z.array(z.string().max(100)).max(1000).optional(), fromCredentialId: z.string().max(200).optional(), toCredentialId: z.string().max(200) }),
    response: z.array(ResourceSchema),
  },
  'resources.delete': { request: z.object({ id: z.string() }), response: z.object({ id: z.string(), deleted: z.literal(true) }) },
  'policy.generate': {
    request: z.object({ credentialId: z.string().optional(), withRotation: z.boolean().optional() }),
    response: PolicyResultSchema,
  },
} as const;

export type Resource = z.output<typeof ResourceSchema>;
export type PolicyStatement = z.output<typeof PolicyStatementSchema>;
export type PolicyDocument = z.output<typeof PolicyDocumentSchema>;
export type PolicyResult = z.output<typeof PolicyResultSchema>;
