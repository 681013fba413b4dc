import { homedir } from 'node:os';
import { join } from 'node:path';

// The desktop app's data folder, computed the way Electron's app.getPath('userData')
// does for productName "Keyward", so the CLI and the app open the same vault.
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Keyward');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Keyward');
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'Keyward');
}

/** --vault-dir, else $KEYWARD_HOME, else the app's data folder. */
export function resolveVaultDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  return explicit || env.KEYWARD_HOME || defaultDataDir(env);
}

const VAULT_FILE = 'vault.sqlite';
export function vaultFilePath(dir: string): string {
  return join(dir, VAULT_FILE);
}
