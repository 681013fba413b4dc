// Identifiers are shown masked in the desktop: enough to recognise a key, not to copy it.
// AKIAIOSFODNN7EXAMPLE -> AKIA************MPLE
export function maskKeyId(id: string | null | undefined): string {
  if (!id) return '';
  if (id.length <= 8) return '*'.repeat(id.length);
  return id.slice(0, 4) + '*'.repeat(id.length - 8) + id.slice(-4);
}
