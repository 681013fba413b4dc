import { useId } from 'react';
import { CLIPBOARD_CLEAR_CHOICES, type VaultSettings } from '@shared/channels/settings';
import { RegionOptions } from '../ui/RegionOptions';
import { errorMessage } from '../api';
import { showToast } from '../ui/toast';
import { useReadOnly } from '../vault/store';
import { saveVaultSettings, useVaultSettings } from './store';
import { setTheme, THEMES, useTheme, type Theme } from './theme';

// Settings → Preferences: the theme (this window's, kept before unlock), and the vault's
// clipboard clear time and default AWS region. Each control saves as it changes.

const THEME_LABELS: Record<Theme, string> = { system: 'System', light: 'Light', dark: 'Dark' };
const clearLabel = (s: number) => (s === 0 ? 'Never' : s < 60 ? `${s} seconds` : s === 60 ? '1 minute' : `${s / 60} minutes`);

export function PreferencesCard() {
  const theme = useTheme((s) => s.theme);
  const settings = useVaultSettings((s) => s.settings);
  const readOnly = useReadOnly();
  const ids = { clear: useId(), region: useId(), warn: useId() };

  async function save(change: Partial<VaultSettings>) {
    try {
      await saveVaultSettings(change);
    } catch (e) {
      showToast('error', errorMessage(e));
    }
  }

  return (
    <section className="inventory-card" aria-labelledby="settings-preferences" data-testid="preferences">
      <h2 id="settings-preferences">Preferences</h2>
      <fieldset className="settings-fieldset">
        <legend>Theme</legend>
        <div className="settings-inline">
          {THEMES.map((t) => (
            <label key={t} className="check-row">
              <input type="radio" name="theme" value={t} checked={theme === t} onChange={() => setTheme(t)} />
              {THEME_LABELS[t]}
            </label>
          ))}
        </div>
        <p className="muted">Applies at once, to every screen including the lock screen. Kept by this window, outside the vault.</p>
      </fieldset>
      {settings && (
        <>
          <div className="settings-grid">
            <label htmlFor={ids.clear}>Clear a copied secret after</label>
            <select
              id={ids.clear}
              value={settings.clipboardClearSeconds}
              disabled={readOnly}
              onChange={(e) => void save({ clipboardClearSeconds: Number(e.target.value) as VaultSettings['clipboardClearSeconds'] })}
              aria-describedby={settings.clipboardClearSeconds === 0 ? ids.warn : undefined}
            >
              {CLIPBOARD_CLEAR_CHOICES.map((s) => (
                <option key={s} value={s}>
                  {clearLabel(s)}
                </option>
              ))}
            </select>
            <label htmlFor={ids.region}>Default AWS region</label>
            <select id={ids.region} value={settings.defaultAwsRegion} disabled={readOnly} onChange={(e) => void save({ defaultAwsRegion: e.target.value })}>
              <RegionOptions />
            </select>
          </div>
          {settings.clipboardClearSeconds === 0 && (
            <p className="field-warning" id={ids.warn} role="status">
              A copied secret then stays on the clipboard until you copy something else or lock the vault: any app, and clipboard history, can read it.
            </p>
          )}
          <p className="muted">The region a new AWS credential starts with, in the Add form and in `keyward add aws` without --region.</p>
        </>
      )}
    </section>
  );
}
