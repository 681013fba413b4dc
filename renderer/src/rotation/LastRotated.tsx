import { RelativeTime } from '../ui/time';
import { useRotations } from './store';

/** When the credential's key was last rotated by Keyward, for its row and its details panel; nothing when never. */
export function LastRotated({ credentialId, variant }: { credentialId: string; variant: 'row' | 'panel' }) {
  const at = useRotations((s) => s.lastRotated[credentialId]);
  if (!at) return null;
  return variant === 'row' ? (
    <span className="muted small" data-testid="last-rotated">
      {' '}
      · rotated <RelativeTime iso={at} />
    </span>
  ) : (
    <p className="muted" data-testid="last-rotated">
      Key last rotated <RelativeTime iso={at} />
    </p>
  );
}
