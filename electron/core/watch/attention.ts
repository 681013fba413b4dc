import type { AttentionItem, AttentionKind } from '../../../shared/channels/watch';
import { maskKeyId } from '../../../shared/mask';
import type { z } from 'zod';
import type { RotationSchema } from '../../../shared/channels/rotation';
import type { CredentialRecord } from '../credentials/repo';
import type { KeyCreatedAt, KeyUsage } from '../inventory/report';
import { credentialExpiry, keyAges, type InventorySettings } from '../inventory/summary';

// What needs attention, from the vault alone (so it works offline and the CLI's
// `keyward watch --once` and the app agree): each rule below is one kind of item, with
// what to do and where. An item's key names one occurrence (the credential, and when or
// for which key it began), so a notice goes out once per occurrence, not at every run.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const UNREACHABLE_AFTER_HOURS = 24;
const EXPIRY_WARN_DAYS = 14;
const REPORT_STALE_DAYS = 30;

type Rotation = z.output<typeof RotationSchema>;

/** Per credential, when its current status began and when it was last VALID (credential_watch). */
export interface StatusHistory {
  statusSince: string;
  lastValidAt: string | null;
}

/** What the rules read of a credential: no diagnosis, no secret, only the identity's and the error's few fields. */
export type CredentialGlance = Pick<CredentialRecord, 'id' | 'name' | 'provider' | 'status' | 'fields' | 'lastVerifiedAt' | 'createdAt'> & {
  identity: { expiresAt?: string } | null;
  error: { code: string } | null;
};

export interface AttentionInput {
  credentials: CredentialGlance[];
  history: Map<string, StatusHistory>;
  usage: Map<string, KeyUsage>;
  created: KeyCreatedAt;
  settings: InventorySettings;
  report: { importedAt: string; generatedAt: string | null } | null;
  openRotations: Rotation[];
  now: number;
}

function days(ms: number): number {
  return Math.floor(ms / DAY);
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "in 3 days", "today", "3 days ago". */
function relativeDays(at: number, now: number): string {
  const d = Math.round((at - now) / DAY);
  if (d === 0) return 'today';
  return d > 0 ? `in ${plural(d, 'day')}` : `${plural(-d, 'day')} ago`;
}

const SEVERITY: Record<AttentionKind, AttentionItem['severity']> = {
  'turned-invalid': 'critical',
  'unreachable-long': 'warning',
  'past-max-age': 'critical',
  'near-max-age': 'warning',
  'secret-expired': 'critical',
  'secret-expiring': 'warning',
  'report-stale': 'warning',
  'rotation-unfinished': 'critical',
  'rotation-held': 'warning',
  'key-unused': 'warning',
};

type ItemFor = Omit<AttentionItem, 'severity' | 'name' | 'provider' | 'maskedKeyId' | 'action'> & {
  action: Omit<AttentionItem['action'], 'credentialId' | 'rotationId'> & { rotationId?: string | null };
};

export function computeAttention(input: AttentionInput): AttentionItem[] {
  const { credentials, history, now } = input;
  const byId = new Map(credentials.map((c) => [c.id, c]));
  const items: AttentionItem[] = [];
  const push = (c: CredentialGlance | null, item: ItemFor): void => {
    items.push({
      ...item,
      severity: SEVERITY[item.kind],
      name: c?.name ?? null,
      provider: c?.provider ?? null,
      maskedKeyId: c?.fields.accessKeyId ? maskKeyId(c.fields.accessKeyId) : null,
      action: { ...item.action, credentialId: c?.id ?? null, rotationId: item.action.rotationId ?? null },
    });
  };

  for (const c of credentials) {
    const h = history.get(c.id);
    if (c.status === 'INVALID' && h?.lastValidAt) {
      push(c, {
        key: `turned-invalid:${c.id}:${h.statusSince}`,
        kind: 'turned-invalid',
        credentialId: c.id,
        title: `${c.name} turned Invalid`,
        detail: `It was Valid on ${h.lastValidAt.slice(0, 10)}; the last check failed${c.error ? ` with ${c.error.code}` : ''}. Open its diagnosis for the cause and the fix.`,
        since: h.statusSince,
        action: { kind: 'diagnosis', label: 'Open diagnosis', page: 'credentials' },
      });
    }
    if (c.status === 'UNREACHABLE') {
      const since = Date.parse(h?.statusSince ?? c.lastVerifiedAt ?? c.createdAt);
      if (now - since >= UNREACHABLE_AFTER_HOURS * HOUR) {
        push(c, {
          key: `unreachable-long:${c.id}:${h?.statusSince ?? ''}`,
          kind: 'unreachable-long',
          credentialId: c.id,
          title: `${c.name} unreachable for ${plural(Math.floor((now - since) / HOUR), 'hour')}`,
          detail: 'No check has reached a verdict for over a day (network, endpoint or proxy). Check the endpoint, then verify again.',
          since: new Date(since).toISOString(),
          action: { kind: 'diagnosis', label: 'Open diagnosis', page: 'credentials' },
        });
      }
    }
    const expiry = credentialExpiry(c);
    if (expiry !== null && expiry - now <= EXPIRY_WARN_DAYS * DAY) {
      const what = c.provider === 'VAULT' ? 'Vault token' : c.provider === 'AZURE' ? 'Azure client secret' : 'Secret';
      const expired = expiry <= now;
      push(c, {
        key: `${expired ? 'secret-expired' : 'secret-expiring'}:${c.id}:${new Date(expiry).toISOString()}`,
        kind: expired ? 'secret-expired' : 'secret-expiring',
        credentialId: c.id,
        title: `${what} of ${c.name} ${expired ? 'expired' : 'expires'} ${relativeDays(expiry, now)}`,
        detail: expired
          ? `It stopped working on ${new Date(expiry).toISOString().slice(0, 10)}. Create a new one at the provider and Edit the credential.`
          : `Create a new one at the provider before ${new Date(expiry).toISOString().slice(0, 10)} and Edit the credential.`,
        since: null,
        action: { kind: 'edit', label: 'Edit', page: 'credentials' },
      });
    }
  }

  const { maxAgeDays, warnDays } = input.settings;
  for (const age of keyAges(credentials, input.usage, input.created, now)) {
    const c = byId.get(age.credentialId)!;
    const keyId = c.fields.accessKeyId ?? '';
    if (age.ageDays >= maxAgeDays) {
      push(c, {
        key: `past-max-age:${c.id}:${keyId}`,
        kind: 'past-max-age',
        credentialId: c.id,
        title: `${c.name}: key is ${age.ageDays} days old`,
        detail: `Past the maximum age of ${maxAgeDays} days. Rotate it.`,
        since: null,
        action: { kind: 'rotate', label: 'Rotate key', page: 'credentials' },
      });
    } else if (age.ageDays >= maxAgeDays - warnDays) {
      push(c, {
        key: `near-max-age:${c.id}:${keyId}`,
        kind: 'near-max-age',
        credentialId: c.id,
        title: `${c.name}: key reaches ${maxAgeDays} days ${relativeDays(now + (maxAgeDays - age.ageDays) * DAY, now)}`,
        detail: `It is ${age.ageDays} days old. Rotate it before it passes the maximum age.`,
        since: null,
        action: { kind: 'rotate', label: 'Rotate key', page: 'credentials' },
      });
    }
  }

  for (const c of credentials) {
    const u = input.usage.get(c.id);
    if (!u) continue;
    const last = u.lastUsedDate ? Date.parse(u.lastUsedDate) : null;
    if (last !== null && now - last < input.settings.unusedDays * DAY) continue;
    push(c, {
      key: `key-unused:${c.id}:${c.fields.accessKeyId ?? ''}:${u.lastUsedDate ?? 'never'}`,
      kind: 'key-unused',
      credentialId: c.id,
      title: last === null ? `${c.name}: key never used` : `${c.name}: key unused for ${days(now - last)} days`,
      detail: `The credential report of ${(u.reportGeneratedAt ?? u.reportImportedAt).slice(0, 10)} shows no use in ${input.settings.unusedDays} days. If nothing needs it, deactivate or delete it.`,
      since: u.lastUsedDate,
      action: { kind: 'edit', label: 'Open', page: 'credentials' },
    });
  }

  if (input.report) {
    const at = Date.parse(input.report.generatedAt ?? input.report.importedAt);
    if (now - at >= REPORT_STALE_DAYS * DAY) {
      push(null, {
        key: `report-stale:${input.report.importedAt}`,
        kind: 'report-stale',
        credentialId: null,
        title: `Credential report is ${days(now - at)} days old`,
        detail: 'Key ages and last use come from it. Import or fetch a new one.',
        since: new Date(at).toISOString(),
        action: { kind: 'import-report', label: 'Import report', page: 'inventory' },
      });
    }
  }

  for (const r of input.openRotations) {
    const c = byId.get(r.credentialId) ?? null;
    const name = c?.name ?? r.userName;
    push(c, {
      key: `${r.held ? 'rotation-held' : 'rotation-unfinished'}:${r.id}`,
      kind: r.held ? 'rotation-held' : 'rotation-unfinished',
      credentialId: r.credentialId,
      title: r.held ? `Rotation of ${name} waits before deleting the old key` : `Rotation of ${name} is unfinished`,
      detail: r.held
        ? 'The old key is inactive. Check its last use, then delete it or roll back.'
        : `It stopped at "${r.phase}"${r.error ? ` (${r.error.error.code})` : ''}. Resume it or roll it back; until then two keys may exist.`,
      since: r.updatedAt,
      action: { kind: 'resume-rotation', label: r.held ? 'Review' : 'Resume', page: 'credentials', rotationId: r.id },
    });
  }

  const order = (i: AttentionItem) => (i.severity === 'critical' ? 0 : 1);
  return items.sort((a, b) => order(a) - order(b) || a.title.localeCompare(b.title));
}

const DIGEST_PHRASES: Record<AttentionKind, (n: number) => string> = {
  'turned-invalid': (n) => `${plural(n, 'credential')} turned Invalid`,
  'unreachable-long': (n) => `${plural(n, 'credential')} unreachable for over a day`,
  'past-max-age': (n) => `${plural(n, 'key')} past the maximum age`,
  'near-max-age': (n) => `${plural(n, 'key')} near the maximum age`,
  'secret-expired': (n) => `${plural(n, 'secret')} expired`,
  'secret-expiring': (n) => `${plural(n, 'secret')} expiring soon`,
  'report-stale': () => 'the credential report is out of date',
  'rotation-unfinished': (n) => `${plural(n, 'rotation')} unfinished`,
  'rotation-held': (n) => `${plural(n, 'rotation')} waiting to delete the old key`,
  'key-unused': (n) => `${plural(n, 'key')} unused`,
};

/**
 * One line for an OS notification: "2 credentials turned Invalid, Azure client secret of
 * entra-app expires in 3 days". A single item is named by its title; names and masked key
 * ids only, never a secret.
 */
export function digestOf(items: AttentionItem[]): { title: string; body: string } | null {
  if (items.length === 0) return null;
  const byKind = new Map<AttentionKind, AttentionItem[]>();
  for (const i of items) byKind.set(i.kind, [...(byKind.get(i.kind) ?? []), i]);
  const parts = [...byKind].map(([kind, list]) => (list.length === 1 ? list[0].title : DIGEST_PHRASES[kind](list.length)));
  const critical = items.some((i) => i.severity === 'critical');
  return { title: critical ? 'Keyward: credentials need attention' : 'Keyward: something needs attention soon', body: parts.join(', ') };
}
