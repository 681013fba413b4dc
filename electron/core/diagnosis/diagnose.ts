import type { CheckError, Diagnosis } from '../../../shared/contract';
import type { ProviderId } from '../../../shared/providers';
import { PROVIDER_MODULES } from '../providers';
import { CATALOG, FALLBACK, type CatalogEntry } from './catalog';

interface DiagnoseContext {
  provider: ProviderId;
  status: 'INVALID' | 'UNREACHABLE';
  error: CheckError;
  fields: Record<string, string>;
}

/** The command that tests the same thing outside Keyward, with this credential's settings (and for this error). */
export function testCommandFor(provider: ProviderId, fields: Record<string, string>, errorCode?: string): string {
  const p = PROVIDER_MODULES[provider];
  return p.testCommand(fields, errorCode) ?? p.testCommand(fields) ?? p.def.testCommand;
}

export function findEntry(provider: ProviderId, error: CheckError): CatalogEntry | null {
  const candidates = CATALOG.filter((e) => (e.provider === provider || e.provider === '*') && e.codes.includes(error.code));
  // Entries narrowed by a message pattern win over the general entry for the same code.
  // Then an entry that names the code whatever its message (e.g. OptInRequired).
  return candidates.find((e) => e.message?.test(error.message)) ?? candidates.find((e) => !e.message) ?? candidates.find((e) => e.provider === provider && e.codes[0] === error.code) ?? null;
}

export function diagnose(ctx: DiagnoseContext): Diagnosis {
  const entry = findEntry(ctx.provider, ctx.error);
  const base = entry ?? FALLBACK[ctx.status];
  const test = base.test ?? testCommandFor(ctx.provider, ctx.fields, ctx.error.code);
  return {
    cause: base.cause,
    remedy: base.remedy.map((step) => step.replace('{test}', `\`${test}\``)),
    test,
    link: base.link ?? null,
    ...PROVIDER_MODULES[ctx.provider].found?.(ctx.fields),
  };
}
