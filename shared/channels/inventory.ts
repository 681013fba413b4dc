import { z } from 'zod';
import { base64Chars, FILE_LIMITS } from '../limits';
import { MAX_PASSPHRASE, MIN_PASSPHRASE } from '../passphrase';
import { INVENTORY_FIGURES } from '../inventory-figures';

// Offline inventory review: figures from the local vault, IAM credential reports, export,
// encrypted backup/restore and the vault health check. Files travel as content (text or
// base64): the window reads and saves them itself, main never opens a dialog.

export { INVENTORY_FIGURES } from '../inventory-figures';
const InventoryFigureSchema = z.enum(INVENTORY_FIGURES);

const InventorySettingsSchema = z.object({
  maxAgeDays: z.number().int().min(1).max(3650),
  warnDays: z.number().int().min(0).max(365),
  unusedDays: z.number().int().min(1).max(3650),
  staleDays: z.number().int().min(1).max(3650),
});

const ReportKeySchema = z.object({
  user: z.string(),
  arn: z.string(),
  keyIndex: z.union([z.literal(1), z.literal(2)]),
  active: z.boolean(),
  lastRotated: z.string().nullable(),
  lastUsedDate: z.string().nullable(),
  lastUsedRegion: z.string().nullable(),
  lastUsedService: z.string().nullable(),
});

const MatchedKeySchema = ReportKeySchema.extend({ credentialId: z.string().nullable(), credentialName: z.string().nullable() });

const ReportSummarySchema = z.object({
  id: z.string(),
  source: z.enum(['file', 'fetch']),
  generatedAt: z.string().nullable(),
  importedAt: z.string(),
  account: z.string().nullable(),
  users: z.number().int(),
  keys: z.number().int(),
  matched: z.array(MatchedKeySchema),
  notInKeyward: z.array(MatchedKeySchema),
});

const InventorySummarySchema = z.object({
  settings: InventorySettingsSchema,
  total: z.number().int(),
  byProvider: z.array(z.object({ provider: z.string(), count: z.number().int() })),
  byStatus: z.array(z.object({ status: z.string(), count: z.number().int() })),
  figures: z.record(InventoryFigureSchema, z.number().int()),
  lastVerifiedAt: z.string().nullable(),
  oldestVerifiedAt: z.string().nullable(),
  report: z.object({ source: z.enum(['file', 'fetch']), generatedAt: z.string().nullable(), importedAt: z.string(), account: z.string().nullable(), notInKeyward: z.number().int() }).nullable(),
  keysWithAge: z.number().int(),
  ageBins: z.array(z.object({ fromDays: z.number().int(), toDays: z.number().int().nullable(), count: z.number().int() })),
  nextDue: z.array(z.object({ credentialId: z.string(), name: z.string(), ageDays: z.number().int(), source: z.enum(['aws', 'report']), dueInDays: z.number().int() })),
  /** Azure secrets past or near their recorded expiry date, Vault tokens near their expire_time. */
  expiringSecrets: z.object({ expired: z.number().int(), expiringSoon: z.number().int(), credentialIds: z.array(z.string()) }).optional(),
});

const DoctorReportSchema = z.object({
  ok: z.boolean(),
  path: z.string(),
  schemaVersion: z.number().int().nullable(),
  knownSchemaVersion: z.number().int(),
  checks: z.array(
    z.object({
      name: z.enum(['file', 'integrity', 'schema', 'meta', 'key-provider', 'orphans', 'rotations']),
      ok: z.boolean(),
      message: z.string(),
      /** What to do; null when the check passed. */
      remedy: z.string().nullable(),
    }),
  ),
});

export const CONFLICT_CHOICES = ['keep', 'backup', 'copy'] as const;
const ConflictChoiceSchema = z.enum(CONFLICT_CHOICES);
export type ConflictChoice = z.output<typeof ConflictChoiceSchema>;

const MAX_REPORT_CHARS = FILE_LIMITS.credentialReport.bytes;
const MAX_BACKUP_BASE64 = base64Chars(FILE_LIMITS.backup.bytes);

export const inventoryChannels = {
  'inventory.summary': { request: z.object({}), response: InventorySummarySchema },
  'inventory.figure': { request: z.object({ figure: InventoryFigureSchema }), response: z.object({ ids: z.array(z.string()) }) },
  'inventory.setSettings': { request: InventorySettingsSchema, response: InventorySettingsSchema },
  'inventory.notInKeyward': { request: z.object({}), response: z.array(ReportKeySchema) },
  'inventory.importReport': { request: z.object({ text: z.string().min(1).max(MAX_REPORT_CHARS), fileName: z.string().max(260).optional() }), response: ReportSummarySchema },
  'inventory.fetchReport': { request: z.object({ adminId: z.string().min(1) }), response: ReportSummarySchema },
  'inventory.export': {
    request: z.object({ format: z.enum(['csv', 'json']).default('csv'), keyIds: z.enum(['masked', 'full']).default('masked') }),
    // audited: false when the vault is open read-only (salvage from a damaged vault): the export was not recorded.
    response: z.object({ fileName: z.string(), mimeType: z.string(), content: z.string(), rows: z.number().int(), audited: z.boolean().optional() }),
  },
  /** The encrypted backup file, base64: it holds sealed secrets only, never one in clear. */
  'inventory.backup': {
    request: z.object({ passphrase: z.string().min(MIN_PASSPHRASE).max(MAX_PASSPHRASE) }),
    response: z.object({
      fileName: z.string(),
      base64: z.string(),
      bytes: z.number().int(),
      credentials: z.number().int(),
      tables: z.record(z.string(), z.number().int()),
      audited: z.boolean().optional(),
    }),
  },
  /** Restores into an empty vault (the app is not set up yet), or merges into the open one. */
  'inventory.restore': {
    request: z.object({
      base64: z.string().min(1).max(MAX_BACKUP_BASE64),
      /** The backup file's name, for the audit log. */
      fileName: z.string().max(260).optional(),
      passphrase: z.string().min(1).max(1024),
      merge: z.boolean().default(false),
      /** A merge: report what would be added and what collides, and write nothing. */
      preview: z.boolean().optional(),
      /** A merge: per conflict (by the backup credential's id), keep mine, take the backup's, or restore it as a renamed copy; unnamed: keep mine. */
      choices: z.record(z.string().max(64), ConflictChoiceSchema).optional(),
      /** For a fresh restore: protect the restored vault with this passphrase instead of the OS keychain. */
      vaultPassphrase: z.string().min(MIN_PASSPHRASE).max(MAX_PASSPHRASE).optional(),
    }),
    response: z.object({
      mode: z.enum(['restored', 'merged']),
      added: z.array(z.object({ id: z.string(), name: z.string() })),
      conflicts: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          reason: z.string(),
          /** The credential here it collides with. */
          existingId: z.string(),
          choice: ConflictChoiceSchema,
          restoredAs: z.object({ id: z.string(), name: z.string() }).optional(),
        }),
      ),
      notMerged: z.array(z.object({ table: z.string(), rows: z.number().int() })),
      /** A fresh restore: the vault it came from, the provider that now holds its key, the rows restored. */
      vaultId: z.string().optional(),
      keyProvider: z.enum(['keychain', 'passphrase']).optional(),
      tables: z.record(z.string(), z.number().int()).optional(),
    }),
  },
  'inventory.doctor': { request: z.object({}), response: DoctorReportSchema },
  /** One credential's key age and last use, from the newest report that matched it (null: none did). */
  'inventory.keyUsage': {
    request: z.object({ credentialId: z.string().min(1) }),
    response: z
      .object({
        keyCreatedAt: z.string().nullable(),
        keyAgeDays: z.number().int().nullable(),
        keyActive: z.boolean().nullable(),
        lastUsedDate: z.string().nullable(),
        lastUsedRegion: z.string().nullable(),
        lastUsedService: z.string().nullable(),
        reportFrom: z.string().nullable(),
      })
      .nullable(),
  },
} as const;

/** The CLI's backup to a file path (CLI-only: the window saves the bytes itself). */
export const inventoryCliChannels = {
  'inventory.backupToFile': {
    request: z.object({ passphrase: z.string().min(MIN_PASSPHRASE).max(MAX_PASSPHRASE), file: z.string().min(1).max(4096) }),
    // audited: false when the vault is open read-only (salvage): the backup was not recorded.
    response: z.object({ file: z.string(), bytes: z.number().int(), tables: z.record(z.string(), z.number().int()), audited: z.boolean() }),
  },
} as const;

export type InventorySummary = z.output<typeof InventorySummarySchema>;
export type InventorySettings = z.output<typeof InventorySettingsSchema>;
export type InventoryFigure = z.output<typeof InventoryFigureSchema>;
export type ReportKey = z.output<typeof ReportKeySchema>;
export type MatchedKey = z.output<typeof MatchedKeySchema>;
export type ReportSummaryView = z.output<typeof ReportSummarySchema>;
export type DoctorReportView = z.output<typeof DoctorReportSchema>;
export type DoctorCheck = DoctorReportView['checks'][number];
