#!/usr/bin/env node
// `keyward`: runs the built CLI (made by scripts/build-cli.mjs) with plain Node:
// out/cli/aws-use.cjs for credential-process and exec, out/cli/keyward.cjs for the rest
// (out/cli/route.cjs says which). `--version` is answered from package.json before
// anything else loads. CommonJS, not an ES module: Node starts a CommonJS entry without
// its ES module loader, a few milliseconds sooner on every call.
//
// The built file is compiled with a V8 code cache kept in the user's cache folder, so a
// call does not parse and compile ~1 MB of JavaScript again: the cache is made after a
// command has run (it then holds the functions that command compiled), one per command
// that AWS tools and scripts call in loops, and one for the rest. A cache is used only
// when it is ours (owner-only, this user's), its checksum matches, and it was made from
// this very file by this Node and V8 (the name says so); anything else is ignored and
// made again. Node's own compile cache (module.enableCompileCache) is not used: it saves
// a module's cache before it runs, without the functions a command compiles.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const args = process.argv.slice(2);
if (args.length === 1 && args[0] === '--version') {
  const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
  process.stdout.write(`keyward ${version}\n`);
} else {
  const built = (name) => join(__dirname, '..', 'out', 'cli', `${name}.cjs`);
  let route;
  try {
    route = require(built('route'));
  } catch (e) {
    if (e?.code !== 'MODULE_NOT_FOUND') throw e;
    process.stderr.write('keyward: the CLI is not built in this checkout: run `npm run build:cli` (or `node bin/keyward-dev.mjs` to run the source).\n');
    process.exit(1);
  }
  const file = built(route.builtEntryFor(args));
  runWithCodeCache(file, readFileSync(file), cacheGroup(route.commandWord(args)));
}

function cacheGroup(word) {
  return ['list', 'show', 'credential-process', 'exec', 'verify'].includes(word) ? word : 'cli';
}

/** The user's cache folder for Keyward (not the package's folder, which may be shared or read-only). */
function cacheDir() {
  const { homedir } = require('node:os');
  const env = process.env;
  if (process.platform === 'win32') return join(env.LOCALAPPDATA || join(homedir(), 'AppData', 'Local'), 'Keyward', 'Cache', 'cli');
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Caches', 'Keyward', 'cli');
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'keyward', 'cli');
}

/** `bytes`: the built file as read (hashed as bytes: hashing the string would encode it again). */
function runWithCodeCache(file, bytes, group) {
  const fs = require('node:fs');
  const { createHash } = require('node:crypto');
  const { dirname } = require('node:path');
  const { createRequire } = require('node:module');
  const vm = require('node:vm');
  const sha256 = (data) => createHash('sha256').update(data).digest();

  // The cache's name binds it to this file's content, this runtime and this command group.
  const source = bytes.toString('utf8');
  const key = createHash('sha256').update(bytes).update(`\0${process.version}\0${process.versions.v8}\0${process.arch}`).digest('hex').slice(0, 32);
  let dir = null;
  let cacheFile = null;
  let cachedData;
  try {
    dir = cacheDir();
    cacheFile = join(dir, `${group}-${key}.v8cache`);
    cachedData = readCache(fs, cacheFile, sha256);
  } catch {
    cachedData = undefined; // no home folder, an unreadable cache: run without one
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: file,
    cachedData,
  });
  if (cacheFile && (!cachedData || script.cachedDataRejected)) {
    // After the command ran: the cache then holds the functions it compiled too.
    process.once('exit', () => writeCache(fs, dir, cacheFile, group, script.createCachedData(), sha256));
  }
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
}

/** The cache's payload when the file is this user's, not writable by others, and whole; else undefined. */
function readCache(fs, cacheFile, sha256) {
  let fd;
  try {
    fd = fs.openSync(cacheFile, 'r');
  } catch {
    return undefined;
  }
  try {
    const st = fs.fstatSync(fd);
    if (process.platform !== 'win32' && (st.uid !== process.getuid() || (st.mode & 0o077) !== 0)) return undefined;
    if (st.size <= 32 || st.size > 64 * 1024 * 1024) return undefined;
    const bytes = Buffer.allocUnsafe(st.size);
    if (fs.readSync(fd, bytes, 0, st.size, 0) !== st.size) return undefined;
    const payload = bytes.subarray(32);
    return sha256(payload).equals(bytes.subarray(0, 32)) ? payload : undefined;
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * mkdir -p, a level at a time. Node's recursive mkdirSync never returns where mkdir answers
 * ENOENT under a folder that exists (a cache folder set inside /proc, say): it retries
 * forever, and the command would never exit.
 */
function makeDir(fs, dir) {
  const { dirname } = require('node:path');
  const missing = [];
  for (let d = dir; !fs.existsSync(d) && dirname(d) !== d; d = dirname(d)) missing.push(d);
  for (const d of missing.reverse()) fs.mkdirSync(d, { mode: 0o700 });
}

/** Writes checksum + payload owner-only under a temporary name, then renames it into place; drops this group's older caches. Never fails the command. */
function writeCache(fs, dir, cacheFile, group, payload, sha256) {
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  try {
    makeDir(fs, dir);
    fs.writeFileSync(tmp, Buffer.concat([sha256(payload), payload]), { mode: 0o600, flag: 'wx' });
    fs.renameSync(tmp, cacheFile);
    const name = cacheFile.slice(dir.length + 1);
    for (const f of fs.readdirSync(dir)) if (f.startsWith(`${group}-`) && f.endsWith('.v8cache') && f !== name) fs.rmSync(`${dir}/${f}`, { force: true });
  } catch {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      /* nothing to clean up */
    }
  }
}
