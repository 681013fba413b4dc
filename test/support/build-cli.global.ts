import { buildCli } from '../../scripts/build-cli.mjs';
import { useRunTempFolder } from './run-tmp';

// vitest's globalSetup, before any test file runs:
// - the CLI tests run what ships (bin/keyward.cjs → out/cli/keyward.cjs), so build it from
//   the current source (esbuild takes well under a second);
// - every temp folder a test makes (vault homes, servers' data) goes into one folder of
//   this run, removed when the run ends, pass or fail.
export default async function setup(): Promise<() => void> {
  await buildCli();
  return useRunTempFolder('keyward-test-run-');
}
