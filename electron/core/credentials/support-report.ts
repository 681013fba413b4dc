import pkg from '../../../package.json' with { type: 'json' };
import type { Credential } from '../../../shared/contract';
import { maskKeyId } from '../../../shared/mask';
import { PROVIDERS } from '../../../shared/providers';

// AWS access key ids (long-term AKIA…, temporary ASIA…): masked wherever they appear in a
// report, including inside an error message or a test command.
const KEY_ID = /\b(?:AKIA|ASIA)[A-Z0-9]{12,}\b/g;

/**
 * What support asks for ("the credential name, provider, and error message"), as plain
 * text an admin can paste into a ticket: built from the public record only, so it never
 * holds a secret, and with every access key id masked. The desktop's Copy report and
 * `keyward show CRED --report` print this same text.
 */
export function supportReport(c: Credential, now: Date = new Date()): string {
  const provider = PROVIDERS[c.provider];
  const lines = [
    `Keyward ${pkg.version} support report (${now.toISOString()})`,
    '',
    `Credential:   ${c.name}`,
    `Provider:     ${provider?.label ?? c.provider}`,
    `Type:         ${c.type}`,
    `Status:       ${c.status}`,
    `Last checked: ${c.lastVerifiedAt ?? 'never'}`,
  ];
  for (const f of provider?.fields ?? []) {
    const value = c.fields[f.key];
    if (f.secret || !value || f.kind === 'textarea') continue;
    lines.push(`${`${f.label}:`.padEnd(14)}${f.key === 'accessKeyId' ? maskKeyId(value) : value}`);
  }
  if (c.error) lines.push('', `Error:        ${c.error.code}`, `Message:      ${c.error.message}`);
  const d = c.diagnosis;
  if (d && c.status !== 'VALID') {
    lines.push('', `Diagnosis:    ${d.cause}`);
    if (d.found) lines.push(`Found:        ${d.found}`);
    if (d.missingPermission) lines.push(`Missing:      ${d.missingPermission}`);
    if (d.remedy.length) lines.push('Remedy:', ...d.remedy.map((step, i) => `  ${i + 1}. ${step}`));
  }
  const test = d?.test || provider?.testCommand;
  if (test) lines.push('', `Test command: ${test}`);
  return `${lines.join('\n').replace(KEY_ID, (id) => maskKeyId(id))}\n`;
}
