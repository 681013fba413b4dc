import { useEffect } from 'react';
import { maskKeyId } from '@shared/mask';
import { api, errorMessage } from '../api';
import { Button } from '../ui/Button';
import { showToast } from '../ui/toast';
import { FleetDialog } from './FleetDialog';
import { RotationWizard } from './RotationWizard';
import { loadLastRotated, loadOpenRotations, openRotationWizard, subscribeRotationEvents, track, useRotations } from './store';

/** At start: rotations a crash or a closed window left unfinished, with Resume and Roll back. Hosts the wizard. */
export function UnfinishedRotations() {
  const open = useRotations((s) => s.open);
  const wizard = useRotations((s) => s.wizard);
  const fleet = useRotations((s) => s.fleet);
  useEffect(() => {
    subscribeRotationEvents();
    void loadOpenRotations();
    void loadLastRotated();
  }, []);

  async function act(channel: 'rotation.resume' | 'rotation.rollback', id: string, credentialId: string) {
    openRotationWizard(credentialId, id);
    try {
      track(await api().invoke(channel, { id }));
    } catch (e) {
      showToast('error', errorMessage(e));
    }
  }

  return (
    <>
      {open.length > 0 && !wizard && !fleet && (
        <div className="banner banner-warning" role="status" data-testid="unfinished-rotations">
          {open.map((r) => (
            <div key={r.id} data-rotation-id={r.id}>
              Unfinished key rotation for IAM user <strong>{r.userName}</strong> (old key {maskKeyId(r.oldAccessKeyId)}, stopped after “{r.phase}”).{' '}
              <Button size="sm" onClick={() => void act('rotation.resume', r.id, r.credentialId)}>
                Resume
              </Button>{' '}
              <Button size="sm" variant="danger" onClick={() => void act('rotation.rollback', r.id, r.credentialId)}>
                Roll back
              </Button>
            </div>
          ))}
        </div>
      )}
      <RotationWizard />
      <FleetDialog />
    </>
  );
}
