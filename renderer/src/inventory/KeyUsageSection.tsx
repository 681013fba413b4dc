import { useEffect, useState } from 'react';
import type { Response } from '@shared/contract';
import { api } from '../api';
import { formatAbsolute } from '../ui/time';

type KeyUsage = Response<'inventory.keyUsage'>;

/** The key's age and last use in a credential's details, as the newest credential report saw them. */
export function KeyUsageSection({ credentialId }: { credentialId: string }) {
  const [usage, setUsage] = useState<{ id: string; value: KeyUsage } | null>(null);
  useEffect(() => {
    let live = true;
    api()
      .invoke('inventory.keyUsage', { credentialId })
      .then((value) => live && setUsage({ id: credentialId, value }))
      .catch(() => live && setUsage({ id: credentialId, value: null }));
    return () => {
      live = false;
    };
  }, [credentialId]);
  const u = usage?.id === credentialId ? usage.value : null;
  if (!u) return null;
  return (
    <div className="details-section">
      <h3>Key age and last use</h3>
      <dl className="kv">
        <dt>Key age</dt>
        <dd>{u.keyAgeDays === null ? 'unknown' : `${u.keyAgeDays} days`}</dd>
        <dt>Last used</dt>
        <dd>{u.lastUsedDate ? `${u.lastUsedDate.slice(0, 10)}${u.lastUsedService ? ` (${u.lastUsedService}, ${u.lastUsedRegion ?? '?'})` : ''}` : 'never (per the report)'}</dd>
        {u.reportFrom && (
          <>
            <dt>Source</dt>
            <dd title={formatAbsolute(u.reportFrom)}>credential report from {u.reportFrom.slice(0, 10)}</dd>
          </>
        )}
      </dl>
    </div>
  );
}
