import { z } from 'zod';
import { AWS_REGIONS, DEFAULT_AWS_REGION } from '../regions';

// The vault's own preferences: how long a copied secret stays on the clipboard and the
// AWS region a new credential starts with. They live in the vault (meta table), so the
// window and `keyward add aws` read the same default. The window's theme is not here: it
// is needed before the vault opens (first run, the lock screen), so the window keeps it.

/** Seconds a copied secret stays on the clipboard; 0: it is never cleared by Keyward. */
export const CLIPBOARD_CLEAR_CHOICES = [15, 30, 60, 120, 0] as const;

const REGION_CODES = AWS_REGIONS.map((r) => r.code) as [string, ...string[]];

export const VaultSettingsSchema = z.object({
  clipboardClearSeconds: z.literal(CLIPBOARD_CLEAR_CHOICES),
  defaultAwsRegion: z.enum(REGION_CODES),
});

export type VaultSettings = z.output<typeof VaultSettingsSchema>;

export const DEFAULT_VAULT_SETTINGS: VaultSettings = { clipboardClearSeconds: 30, defaultAwsRegion: DEFAULT_AWS_REGION };

/** The field defaults a vault's settings give a provider's new credentials, over the provider's own (shared/providers). */
export function vaultFieldDefaults(settings: VaultSettings, provider: string): Record<string, string> {
  return provider === 'AWS' ? { region: settings.defaultAwsRegion } : {};
}

export const settingsChannels = {
  'settings.get': { request: z.object({}), response: VaultSettingsSchema },
  /** Changes some settings; answers with all of them as saved. */
  'settings.set': { request: VaultSettingsSchema.partial(), response: VaultSettingsSchema },
} as const;
