/** Where a recorded expiry date has passed, the sentence that says so; else null. */
export function expiryPassed(expiresAt: string | undefined, now = new Date()): string | null {
  if (!expiresAt) return null;
  const end = Date.parse(`${expiresAt}T23:59:59Z`);
  if (Number.isNaN(end) || end >= now.getTime()) return null;
  return `The secret expiry date recorded for this credential, ${expiresAt}, has passed: Azure no longer accepts a secret after its expiry date.`;
}
