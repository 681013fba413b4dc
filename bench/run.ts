import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { print, type Figure } from './report';

// `npm run bench`: prints each figure with its target. Targets live here, never in tests.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const only = process.argv[2];
// Every suite's temporary vaults, homes and files go under one folder of this run (tmpdir()
// reads TMPDIR; the CLI processes the suites start inherit it), removed when the run ends.
const runTmp = mkdtempSync(join(tmpdir(), 'keyward-bench-'));
process.env.TMPDIR = runTmp;
process.on('exit', () => rmSync(runTmp, { recursive: true, force: true }));
// Each suite is imported when it runs: the vault suite measures the RSS of a process
// holding the core and 10,000 credentials, not of one that has loaded Playwright too.
const suites: Record<string, () => Promise<Figure[]>> = {
  vault: async () => (await import('./vault')).benchVault(),
  cli: async () => (await import('./cli')).benchCli(),
  'credential-process': async () => (await import('./credential-process')).benchCredentialProcess(),
  verify: async () => (await import('./verify')).benchVerify(),
  rotation: async () => (await import('./rotation')).benchRotation(),
  fleet: async () => (await import('./fleet')).benchFleet(),
  bundle: async () => (await import('./bundle')).benchBundle(),
  renderer: async () => (await import('./renderer')).benchRenderer(),
  inventory: async () => (await import('./inventory')).benchInventory(),
  watch: async () => (await import('./watch')).benchWatch(),
};
const all: Figure[] = [];
for (const [name, run] of Object.entries(suites)) {
  if (only && only !== name) continue;
  console.log(`== ${name}`);
  const figures = await run();
  print(figures);
  all.push(...figures);
}
const missed = all.filter((f) => !f.ok).length;
console.log(`${all.length - missed} of ${all.length} figures within target`);
