import { create } from 'zustand';

// The window's theme: the system's, or Light or Dark whatever the system says. It is kept
// in the window's own storage (localStorage, in Electron's profile folder), not in the
// vault: it must apply before there is an open vault (first run, the lock screen) and at
// first paint, with no round trip to main; and it is about this screen, not the vault
// (a restored backup does not bring a theme). Nothing secret is in it.

export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

const STORAGE_KEY = 'keyward.theme';

function stored(): Theme {
  try {
    const v = window.localStorage.getItem(STORAGE_KEY);
    return (THEMES as readonly string[]).includes(v ?? '') ? (v as Theme) : 'system';
  } catch {
    return 'system'; // storage refused (a locked-down profile): the system's scheme
  }
}

function apply(theme: Theme): void {
  // styles.css: data-theme sets color-scheme, which every light-dark() colour follows.
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

export const useTheme = create<{ theme: Theme }>(() => ({ theme: 'system' }));

/** Applies the saved theme; main.tsx calls it before the first render. */
export function applySavedTheme(): void {
  const theme = stored();
  useTheme.setState({ theme });
  apply(theme);
}

/** Applies at once, everywhere (the gate included), and is remembered for the next start. */
export function setTheme(theme: Theme): void {
  try {
    if (theme === 'system') window.localStorage.removeItem(STORAGE_KEY);
    else window.localStorage.setItem(STORAGE_KEY, theme);
  } catch {
    // Not remembered, but still applied for this session.
  }
  useTheme.setState({ theme });
  apply(theme);
}
