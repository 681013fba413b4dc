import type { Credential } from '../../shared/contract';
import { maskKeyId } from '../../shared/mask';

/** A credential as the CLI contract prints it: public fields at the top level. */
export function credentialJson(c: Credential) {
  const { verifying: _verifying, fields, ...rest } = c;
  return {
    id: rest.id,
    name: rest.name,
    provider: rest.provider,
    type: rest.type,
    status: rest.status,
    createdAt: rest.createdAt,
    updatedAt: rest.updatedAt,
    lastVerifiedAt: rest.lastVerifiedAt,
    ...fields,
    secretFields: rest.secretFields,
    identity: rest.identity,
    error: rest.error,
    diagnosis: rest.diagnosis,
  };
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

export function table(cells: string[][]): string {
  if (cells.length === 0) return '';
  const rows = cells.map((r) => r.map(escapeForTerminal));
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : pad(cell, widths[i]))).join('  ')).join('\n') + '\n';
}

/** What tells one credential of a provider from another, never a secret. */
function keyOrEndpoint(c: Credential): string {
  const f = c.fields;
  if (f.accessKeyId) return maskKeyId(f.accessKeyId);
  if (f.host) return `${f.host}:${f.port ?? ''}`;
  return f.endpoint ?? f.url ?? f.address ?? f.clientEmail ?? (f.clientId ? `${f.clientId} @ ${f.tenantId ?? ''}` : '');
}

export function credentialTable(list: Credential[]): string {
  if (list.length === 0) return 'No credentials yet. Add one with `keyward add aws --name NAME --access-key-id AKIA…`.\n';
  return table([
    ['ID', 'NAME', 'PROVIDER', 'STATUS', 'KEY / ENDPOINT', 'REGION', 'LAST VERIFIED'],
    ...list.map((c) => [c.id.slice(0, 8), c.name, c.provider, c.status, keyOrEndpoint(c), c.fields.region ?? '', c.lastVerifiedAt ?? 'never']),
  ]);
}

/** One line per field: a multi-line value (a CA certificate in PEM) is summarised; --json has it whole. */
function fieldLine(value: string): string {
  if (!/[\r\n]/.test(value)) return value;
  const certs = (value.match(/-----BEGIN CERTIFICATE-----/g) ?? []).length;
  return certs ? `PEM, ${certs} certificate${certs === 1 ? '' : 's'} (--json shows it)` : `${value.split(/\r?\n/).length} lines (--json shows them)`;
}

export function credentialDetails(c: Credential): string {
  const lines = [
    `${c.name}  (${c.provider} ${c.type})`,
    `  id:             ${c.id}`,
    `  status:         ${c.status}`,
    ...Object.entries(c.fields).map(([k, v]) => `  ${pad(`${k}:`, 15)} ${fieldLine(v)}`),
    `  secrets:        ${c.secretFields.join(', ') || 'none'} (stored encrypted, never shown)`,
    `  created:        ${c.createdAt}`,
    `  last verified:  ${c.lastVerifiedAt ?? 'never'}`,
  ];
  if (c.identity?.arn) lines.push(`  account:        ${c.identity.account}`, `  arn:            ${c.identity.arn}`, `  user id:        ${c.identity.userId}`);
  if (c.identity?.principal) lines.push(`  identity:       ${c.identity.principal}`);
  if (c.identity?.server) lines.push(`  server:         ${c.identity.server}`);
  if (c.identity?.project) lines.push(`  project:        ${c.identity.project}`);
  if (c.identity?.tenant) lines.push(`  tenant:         ${c.identity.tenant}`);
  if (c.identity?.policies) lines.push(`  policies:       ${c.identity.policies.join(', ')}`);
  if (c.identity?.expiresAt) lines.push(`  expires:        ${c.identity.expiresAt}`);
  if (c.identity?.warning) lines.push(`  warning:        ${c.identity.warning}`);
  if (c.error) lines.push(`  error:          ${c.error.code}: ${c.error.message}`);
  if (c.diagnosis) {
    lines.push(`  cause:          ${c.diagnosis.cause}`);
    if (c.diagnosis.found) lines.push(`  found:          ${c.diagnosis.found}`);
    lines.push('  remedy:');
    c.diagnosis.remedy.forEach((step, i) => lines.push(`    ${i + 1}. ${step}`));
    lines.push(`  test it:        ${c.diagnosis.test}`);
    if (c.diagnosis.link) lines.push(`  see:            ${c.diagnosis.link}`);
  }
  return lines.join('\n') + '\n';
}

/**
 * Text for a terminal: control characters (ESC of ANSI/OSC sequences, BEL, CR, backspace,
 * DEL, the C1 controls) and the bidi overrides are shown as \u escapes, so a value or a
 * name cannot retitle the window, move the cursor or hide what follows. Newlines and tabs
 * of the layout stay.
 */
export function escapeForTerminal(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
