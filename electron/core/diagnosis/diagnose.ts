import type { CheckError, Diagnosis } from '../../../shared/contract';
import { PROVIDERS, type ProviderId } from '../../../shared/providers';
import { CATALOG, FALLBACK, type CatalogEntry } from './catalog';
import { connectorTestCommand } from './connector-commands';
import { cloudTestCommand } from './cloud-commands';
import { cloudFound } from './cloud-context';

export interface DiagnoseContext {
  provider: ProviderId;
  status: 'INVALID' | 'UNREACHABLE';
  error: CheckError;
  fields: Record<string, string>;
}

/** The command that tests the same thing outside Keyward, with this credential's settings. */
export function testCommandFor(provider: ProviderId, fields: Record<string, string>): string {
  if (provider === 'AWS') {
    const parts = ['aws sts get-caller-identity'];
    if (fields.region) parts.push(`--region ${fields.region}`);
    if (fields.endpointUrl) parts.push(`--endpoint-url ${fields.endpointUrl}`);
    return parts.join(' ');
  }
  if (provider === 'APISIX' && fields.endpoint) {
    const base = fields.endpoint.replace(/\/$/, '');
    return `curl -i -H 'X-API-KEY: <admin key>' ${base}/apisix/admin/routes`;
  }
  return connectorTestCommand(provider, fields) ?? cloudTestCommand(provider, fields) ?? PROVIDERS[provider].testCommand;
}

export function findEntry(provider: ProviderId, error: CheckError): CatalogEntry | null {
  const candidates = CATALOG.filter((e) => (e.provider === provider || e.provider === '*') && e.codes.includes(error.code));
  // Entries narrowed by a message pattern win over the general entry for the same code.
  // Then an entry that names the code whatever its message (e.g. OptInRequired).
  return (
    candidates.find((e) => e.message?.test(error.message)) ??
    candidates.find((e) => !e.message) ??
    candidates.find((e) => e.provider === provider && e.codes[0] === error.code) ??
    null
  );
}

export function diagnose(ctx: DiagnoseContext): Diagnosis {
  const entry = findEntry(ctx.provider, ctx.error);
  const base = entry ?? FALLBACK[ctx.status];
  const test =
    base.test ?? connectorTestCommand(ctx.provider, ctx.fields, ctx.error.code) ?? cloudTestCommand(ctx.provider, ctx.fields, ctx.error.code) ?? testCommandFor(ctx.provider, ctx.fields);
  return {
    cause: base.cause,
    remedy: base.remedy.map((step) => step.replace('{test}', `\`${test}\``)),
    test,
    link: base.link ?? null,
    ...cloudFound(ctx.provider, ctx.fields),
  };
}
