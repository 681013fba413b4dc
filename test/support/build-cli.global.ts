import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCli } from '../../scripts/build-cli.mjs';

// vitest's globalSetup, before any test file runs:
// - the CLI tests run what ships (bin/keyward.cjs → out/cli/keyward.cjs), so build it from
//   the current source (esbuild takes well under a second);
// - every temp folder a test makes (vault homes, servers' data) goes into one folder of
//   this run, removed when the run ends, pass or fail.
export default async function setup(): Promise<() => void> {
  await buildCli();
  const runTmp = mkdtempSync(join(tmpdir(), 'keyward-test-run-'));
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
