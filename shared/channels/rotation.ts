import { z } from 'zod';
import { ROTATION_STEPS } from '../rotation-steps';
import { CheckErrorSchema, counts, DiagnosisSchema, IdRequest } from '../schemas';

// The rotation wizard: plan (find the user, check its keys), start, resume, roll back,
// delete an orphan. A rotation runs in main; its steps reach the window as events.

export { ROTATION_STEPS };

export const KeyStatusSchema = z.object({
  accessKeyId: z.string(),
  status: z.enum(['Active', 'Inactive']),
  createdAt: z.string(),
  ageDays: z.number(),
  tooOld: z.boolean(),
  isCredentialKey: z.boolean(),
  lastUsed: z.object({ at: z.string().nullable(), service: z.string().nullable(), region: z.string().nullable() }).nullable(),
});

export const RotationPlanSchema = z.object({
  credentialId: z.string(),
  credentialName: z.string(),
  actingCredentialId: z.string().nullable(),
  userName: z.string(),
  keys: z.array(KeyStatusSchema),
  oldAccessKeyId: z.string().nullable(),
  needsDeleteChoice: z.boolean(),
  deletable: z.array(z.string()),
  /** Keys older than this many days are flagged (the Inventory page's maximum key age). */
  maxKeyAgeDays: z.number().int(),
  /** Where the new key is delivered besides the credential (keyward delivery list): written and checked before the old key goes. */
  deliveries: z.array(z.string()),
});

export const RotationSchema = z.object({
  id: z.string(),
  credentialId: z.string(),
  actingCredentialId: z.string().nullable(),
  userName: z.string(),
  state: z.enum(['IN_PROGRESS', 'DONE', 'ROLLED_BACK']),
  phase: z.enum(ROTATION_STEPS),
  oldAccessKeyId: z.string().nullable(),
  newAccessKeyId: z.string().nullable(),
  deleteFirstKeyId: z.string().nullable(),
  error: z.object({ step: z.string(), operation: z.string(), error: CheckErrorSchema, diagnosis: DiagnosisSchema }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  steps: z.array(z.object({ name: z.string(), at: z.string(), details: z.record(z.string(), z.unknown()) })),
  /** Waiting after the deactivation (holdBeforeDelete): resume deletes the old key, roll back restores it. */
  held: z.boolean(),
  /** The fleet run it belongs to (keyward rotate --due), or null. */
  runId: z.string().nullable(),
});

/** Answer once the run stops (done, held or stopped) instead of at once: the CLI waits, the window follows events. */
const Wait = z.boolean().default(false);

const PlanRequest = z.object({ credentialId: z.string().min(1), user: z.string().max(128).optional(), as: z.string().optional() });

// Fleet runs: every due key planned first, then each rotated as its own journaled rotation.

export const DueKeySchema = z.object({
  credentialId: z.string(),
  credentialName: z.string(),
  userName: z.string(),
  accessKeyId: z.string(),
  ageDays: z.number().int(),
  actingCredentialId: z.string().nullable(),
  /** The user's inactive key that goes first (AWS allows two), or null. */
  deleteFirstKeyId: z.string().nullable(),
  /** Where the new key is delivered besides the credential (keyward delivery list). */
  deliveries: z.array(z.string()),
});

export const SkippedKeySchema = z.object({
  credentialId: z.string(),
  credentialName: z.string(),
  userName: z.string().nullable(),
  ageDays: z.number().int().nullable(),
  reason: z.string(),
});

export const DuePlanSchema = z.object({ maxAgeDays: z.number().int(), due: z.array(DueKeySchema), skipped: z.array(SkippedKeySchema) });

const KEY_OUTCOMES = ['rotated', 'held', 'failed', 'rolled-back'] as const;

export const KeyResultSchema = z.object({
  credentialId: z.string(),
  credentialName: z.string(),
  userName: z.string().nullable(),
  rotationId: z.string().nullable(),
  outcome: z.enum(KEY_OUTCOMES),
  newAccessKeyId: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** What to do next for this key, in a sentence. */
  next: z.string().nullable(),
});

export const RunSummarySchema = z.object({
  runId: z.string(),
  ...counts('total', 'rotated', 'held', 'failed', 'skipped'),
  keys: z.array(KeyResultSchema),
  skippedKeys: z.array(SkippedKeySchema),
});

const DueRequest = z.object({
  maxAgeDays: z.number().int().min(0).max(36_500).optional(),
  as: z.string().min(1).optional(),
  /** IAM user names, `*` any run of characters. */
  match: z.string().min(1).max(128).optional(),
  /** Only these credentials (a selection in the Credentials table). */
  credentialIds: z.array(z.string().min(1)).max(10_000).optional(),
  concurrency: z.number().int().min(1).max(32).optional(),
});

export const rotationChannels = {
  'rotation.plan': { request: PlanRequest, response: RotationPlanSchema },
  /** Opens the journal and runs the rotation in the background; progress arrives as events. */
  'rotation.start': {
    request: PlanRequest.extend({
      deleteFirstKeyId: z.string().optional(),
      confirmActive: z.boolean().default(false),
      /** Wait after deactivating the old key, so the admin can watch its last use before the delete. */
      holdBeforeDelete: z.boolean().default(false),
      wait: Wait,
    }),
    response: RotationSchema,
  },
  'rotation.resume': { request: IdRequest.extend({ holdBeforeDelete: z.boolean().default(false), wait: Wait }), response: RotationSchema },
  'rotation.rollback': { request: IdRequest.extend({ wait: Wait }), response: RotationSchema },
  /** The old key as IAM sees it now: status and last use (iam:GetAccessKeyLastUsed). Null once it is gone. */
  'rotation.oldKeyUsage': { request: IdRequest, response: KeyStatusSchema.pick({ accessKeyId: true, status: true, lastUsed: true }).nullable() },
  'rotation.deleteOrphan': { request: z.object({ id: z.string().min(1), accessKeyId: z.string().min(16) }), response: RotationSchema },
  'rotation.get': { request: IdRequest, response: RotationSchema },
  'rotation.listOpen': { request: z.object({}), response: z.array(RotationSchema) },
  /** Credential id → when its key was last rotated (its latest finished rotation). */
  'rotation.lastRotated': { request: z.object({}), response: z.record(z.string(), z.string()) },
  /** Every due key and every skipped one, with why. Changes nothing. */
  'rotation.planDue': { request: DueRequest, response: DuePlanSchema },
  /** Plans again, journals the run, rotates each due key (wait: answer with the summary at the end). */
  'rotation.startDue': { request: DueRequest.extend({ hold: z.boolean().default(false), wait: Wait }), response: RunSummarySchema.partial({ keys: true, skippedKeys: true }) },
  /** Finishes a run after a kill or a stop: its open rotations, and those it never reached. */
  'rotation.resumeRun': {
    request: IdRequest.extend({ hold: z.boolean().default(false), concurrency: z.number().int().min(1).max(32).optional(), wait: Wait }),
    response: RunSummarySchema.partial({ keys: true, skippedKeys: true }),
  },
  /** Runs not finished yet. */
  'rotation.listRuns': { request: z.object({}), response: z.array(z.object({ id: z.string(), total: z.number().int(), createdAt: z.string() })) },
  'rotation.listUsers': {
    request: z.object({ as: z.string().min(1), filter: z.string().max(128).default('') }),
    response: z.array(z.object({ userName: z.string(), arn: z.string(), createdAt: z.string().nullable() })),
  },
} as const;

export const rotationEvents = {
  /** The journal after each step (or a stop): the wizard's pages follow it. */
  'rotation.changed': RotationSchema,
  /** A step began, or the propagation countdown ticked. */
  'rotation.progress': z.object({ rotationId: z.string(), step: z.string(), secondsLeft: z.number().optional() }),
  /** A key of a fleet run ended (rotated, held, failed): the overall progress. */
  'rotation.run': z.object({ runId: z.string(), done: z.number().int(), total: z.number().int(), credentialId: z.string(), outcome: z.enum(KEY_OUTCOMES) }),
} as const;

export type RotationPlanView = z.output<typeof RotationPlanSchema>;
export type RotationView = z.output<typeof RotationSchema>;
export type DuePlanView = z.output<typeof DuePlanSchema>;
