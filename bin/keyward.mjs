#!/usr/bin/env node
// `keyward`: runs the built CLI (out/cli/keyward.mjs, made by scripts/build-cli.mjs) with
// plain Node. `--version` is answered from package.json before anything else loads.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 1 && args[0] === '--version') {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`keyward ${version}\n`);
} else {
  const built = new URL('../out/cli/keyward.mjs', import.meta.url);
  try {
    await import(built.href);
  } catch (e) {
    if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !String(e.message).includes('out/cli/keyward.mjs')) throw e;
    process.stderr.write('keyward: the CLI is not built in this checkout: run `npm run build:cli` (or `node bin/keyward-dev.mjs` to run the source).\n');
    process.exitCode = 1;
  }
}
