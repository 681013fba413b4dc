import { maskKeyId } from '../../../shared/mask';
import type { CredentialRecord } from '../credentials/repo';
import type { KeyCreatedAt, KeyUsage } from './report';

// The inventory without secrets: one row per credential, with its key's age and last use
// where a credential report or iam:ListAccessKeys told us.

interface InventoryRow {
  id: string;
  name: string;
  provider: string;
  type: string;
  status: string;
  accessKeyId: string | null;
  region: string | null;
  endpoint: string | null;
  account: string | null;
  arn: string | null;
  createdAt: string;
  lastVerifiedAt: string | null;
  errorCode: string | null;
  /** When the key was created: iam:ListAccessKeys, else the report's last_rotated. */
  keyCreatedAt: string | null;
  keyAgeDays: number | null;
  keyActive: boolean | null;
  lastUsedDate: string | null;
  lastUsedRegion: string | null;
  lastUsedService: string | null;
  /** Where the last-use figures come from: the report's generation (or import) time. */
  reportFrom: string | null;
}

const INVENTORY_COLUMNS: ReadonlyArray<keyof InventoryRow> = [
  'id',
  'name',
  'provider',
  'type',
  'status',
  'accessKeyId',
  'region',
  'endpoint',
  'account',
  'arn',
  'createdAt',
  'lastVerifiedAt',
  'errorCode',
  'keyCreatedAt',
  'keyAgeDays',
  'keyActive',
  'lastUsedDate',
  'lastUsedRegion',
  'lastUsedService',
  'reportFrom',
];

const DAY = 86_400_000;

export function inventoryRows(creds: CredentialRecord[], usage: Map<string, KeyUsage>, created: KeyCreatedAt, opts: { keyIds: 'masked' | 'full'; now?: Date }): InventoryRow[] {
  const now = (opts.now ?? new Date()).getTime();
  return creds.map((c) => {
    const u = usage.get(c.id);
    const keyCreatedAt = created.get(c.id) ?? u?.lastRotated ?? null;
    const keyId = c.fields.accessKeyId ?? null;
    return {
      id: c.id,
      name: c.name,
      provider: c.provider,
      type: c.type,
      status: c.status,
      accessKeyId: keyId && opts.keyIds === 'masked' ? maskKeyId(keyId) : keyId,
      region: c.fields.region ?? null,
      endpoint: c.fields.endpointUrl ?? c.fields.endpoint ?? null,
      account: c.identity?.account ?? null,
      arn: c.identity?.arn ?? null,
      createdAt: c.createdAt,
      lastVerifiedAt: c.lastVerifiedAt,
      errorCode: c.error?.code ?? null,
      keyCreatedAt,
      keyAgeDays: keyCreatedAt ? Math.floor((now - Date.parse(keyCreatedAt)) / DAY) : null,
      keyActive: u ? u.active : null,
      lastUsedDate: u?.lastUsedDate ?? null,
      lastUsedRegion: u?.lastUsedRegion ?? null,
      lastUsedService: u?.lastUsedService ?? null,
      reportFrom: u ? (u.reportGeneratedAt ?? u.reportImportedAt) : null,
    };
  });
}

/** RFC 4180; a text cell starting with = + - @ is prefixed with ' so a spreadsheet shows it, not runs it. */
function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n']/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function inventoryCsv(rows: InventoryRow[]): string {
  const lines = [INVENTORY_COLUMNS.join(',')];
  for (const r of rows) lines.push(INVENTORY_COLUMNS.map((c) => csvCell(r[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
