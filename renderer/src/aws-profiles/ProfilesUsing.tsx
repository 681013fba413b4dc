import { useEffect, useState } from 'react';
import type { AwsProfileUse } from '@shared/channels/aws-profiles';
import { api } from '../api';

/** In an AWS credential's details: the ~/.aws profiles that read it from the vault, or still hold its key in clear. */
export function ProfilesUsing({ credentialId }: { credentialId: string }) {
  const [uses, setUses] = useState<{ id: string; list: AwsProfileUse[] } | null>(null);
  useEffect(() => {
    let live = true;
    api()
      .invoke('awsProfiles.using', { credentialId })
      .then((list) => live && setUses({ id: credentialId, list }))
      .catch(() => live && setUses({ id: credentialId, list: [] }));
    return () => {
      live = false;
    };
  }, [credentialId]);
  const list = uses?.id === credentialId ? uses.list : [];
  if (list.length === 0) return null;
  return (
    <div className="details-section" data-testid="profiles-using">
      <h3>AWS profiles using it</h3>
      <ul className="plain-list">
        {list.map((u) => (
          <li key={`${u.file}:${u.profile}`}>
            <code>{u.profile}</code>{' '}
            {u.via === 'credential_process' ? (
              <span className="muted">reads it from the vault (credential_process); a rotation keeps it working</span>
            ) : (
              <span className="form-error">still holds this key in clear in {u.file}: import AWS profiles to move it</span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
