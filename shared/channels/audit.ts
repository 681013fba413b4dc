import { z } from 'zod';

const AuditEventSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  action: z.string(),
  credentialId: z.string().nullable(),
  actor: z.enum(['desktop', 'cli']),
  details: z.record(z.string(), z.unknown()),
});

/** The audit log: newest first, filtered, paged backwards by seq; and its chain check. */
export const auditChannels = {
  'audit.list': {
    request: z.object({
      credentialId: z.string().optional(),
      /** A credential by id or name, live or deleted (the CLI's --credential CRED). */
      credential: z.string().min(1).max(200).optional(),
      action: z.string().max(100).optional(),
      since: z.iso.datetime().optional(),
      until: z.iso.datetime().optional(),
      beforeSeq: z.number().int().positive().optional(),
      limit: z.number().int().min(1).max(1000).default(200),
    }),
    response: z.array(AuditEventSchema),
  },
  'audit.verify': {
    request: z.object({}),
    response: z.object({ ok: z.boolean(), events: z.number().int(), brokenAt: z.number().int().optional(), reason: z.string().optional() }),
  },
} as const;

export type AuditEvent = z.output<typeof AuditEventSchema>;
