import { errorMessage } from '../api';
import { showToast } from '../ui/toast';
import { useReadOnly } from '../vault/store';
import { saveWatchSettings, useWatch } from './store';

/** In a credential's details: whether the scheduled checks include it. */
export function ScheduleToggle({ credentialId }: { credentialId: string }) {
  const settings = useWatch((s) => s.status?.settings);
  const readOnly = useReadOnly();
  if (!settings) return null;
  const included = !settings.skip.includes(credentialId);
  async function toggle(on: boolean) {
    try {
      await saveWatchSettings({ skip: on ? settings!.skip.filter((id) => id !== credentialId) : [...settings!.skip, credentialId] });
    } catch (e) {
      showToast('error', errorMessage(e));
    }
  }
  return (
    <label className="check-row">
      <input type="checkbox" checked={included} disabled={readOnly || settings.intervalHours === 0} onChange={(e) => void toggle(e.target.checked)} />
      {settings.intervalHours === 0 ? 'Scheduled checks are off (Settings)' : `Check on the schedule (every ${settings.intervalHours} h)`}
    </label>
  );
}
