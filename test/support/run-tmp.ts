import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Points TMPDIR (and so every os.tmpdir() of this process and of what it starts later:
 * test workers, servers, the CLI, Chromium's profile) at a fresh folder for this run, and
 * returns what removes it and restores TMPDIR, pass or fail. Vault folders and test
 * servers' data never outlive the run.
 */
export function useRunTempFolder(prefix: string): () => void {
  const runTmp = mkdtempSync(join(tmpdir(), prefix));
  // PostgreSQL runs as its own user and must reach its data folder inside.
  chmodSync(runTmp, 0o755);
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = runTmp;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(runTmp, { recursive: true, force: true });
  };
}
