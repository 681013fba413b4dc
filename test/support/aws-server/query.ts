import type { Params } from './types';

/**
 * AWS query-protocol parameters: the form body (what the SDK sends) merged over the URL query
 * (what GET-style and presigned callers send). Lists arrive flattened, e.g. `GroupId.1`,
 * `IpPermissions.1.IpRanges.2.CidrIp`; the helpers below fold them back.
 */
export function parseParams(query: string, body: Buffer, contentType: string | undefined): Params {
  const params = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(query)) params.set(key, value);
  const isForm = contentType === undefined || contentType.toLowerCase().startsWith('application/x-www-form-urlencoded');
  if (isForm && body.length > 0) {
    for (const [key, value] of new URLSearchParams(body.toString('utf8'))) params.set(key, value);
  }
  return params;
}

/** Values of `prefix.1`, `prefix.2`, … in index order (EC2's flattened lists). */
export function indexedValues(params: Params, prefix: string): string[] {
  return indexedGroups(params, prefix, true).map((group) => group.get('') ?? '');
}

/**
 * Sub-parameters of `prefix.N.*` for each N, in index order. With `leaf`, `prefix.N` itself is
 * stored under the empty key.
 */
export function indexedGroups(params: Params, prefix: string, leaf = false): Array<Map<string, string>> {
  const byIndex = new Map<number, Map<string, string>>();
  const head = `${prefix}.`;
  for (const [key, value] of params) {
    if (!key.startsWith(head)) continue;
    const rest = key.slice(head.length);
    const dot = rest.indexOf('.');
    const indexText = dot < 0 ? rest : rest.slice(0, dot);
    if (!/^\d+$/.test(indexText)) continue;
    if (dot < 0 && !leaf) continue;
    const index = Number(indexText);
    const group = byIndex.get(index) ?? new Map<string, string>();
    group.set(dot < 0 ? '' : rest.slice(dot + 1), value);
    byIndex.set(index, group);
  }
  return [...byIndex.entries()].sort(([a], [b]) => a - b).map(([, group]) => group);
}
