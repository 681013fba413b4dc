import { useState, type FormEvent } from 'react';
import type { InventorySummary } from '@shared/channels/inventory';
import { api, errorMessage } from '../api';
import { Button } from '../ui/Button';

type Settings = InventorySummary['settings'];
const FIELDS: Array<[keyof Settings, string]> = [
  ['maxAgeDays', 'Maximum key age (days)'],
  ['warnDays', 'Warn this many days before'],
  ['unusedDays', 'Unused after (days)'],
  ['staleDays', 'Verification stale after (days)'],
];

/** The thresholds the figures use; stored in the vault, so the CLI export agrees. */
export function SettingsCard({ settings, onSaved }: { settings: Settings; onSaved: () => void }) {
  const [draft, setDraft] = useState<Record<keyof Settings, string>>(() => ({
    maxAgeDays: String(settings.maxAgeDays),
    warnDays: String(settings.warnDays),
    unusedDays: String(settings.unusedDays),
    staleDays: String(settings.staleDays),
  }));
  const [error, setError] = useState<string | null>(null);
  async function save(e: FormEvent) {
    e.preventDefault();
    const values = Object.fromEntries(FIELDS.map(([k]) => [k, Number(draft[k])])) as Settings;
    if (Object.values(values).some((v) => !Number.isInteger(v) || v < 0)) return setError('Enter whole numbers of days.');
    try {
      await api().invoke('inventory.setSettings', values);
      setError(null);
      onSaved();
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  return (
    <section className="inventory-card" aria-labelledby="inv-settings">
      <h2 id="inv-settings">Thresholds</h2>
      <form className="count-row" onSubmit={(e) => void save(e)}>
        {FIELDS.map(([k, label]) => (
          <label key={k} className="inline-field">
            {label} <input type="number" min={0} className="days-input" value={draft[k]} onChange={(e) => setDraft({ ...draft, [k]: e.target.value })} />
          </label>
        ))}
        <Button size="sm" type="submit">
          Save
        </Button>
      </form>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
