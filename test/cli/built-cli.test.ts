import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Script } from 'node:vm';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_OUT } from '../../scripts/build-cli.mjs';
import { startAwsTestServer, type AwsTestServer } from '../support/aws-server';
import { runCli } from './run-cli';

// What ships: bin/keyward.cjs runs the one built file out/cli/keyward.cjs with plain Node
// (vitest's globalSetup built it from this source), compiled with a V8 code cache from
// the user's cache folder, and packages load only when a command needs them.

const PASSPHRASE = 'built cli passphrase 1';
const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string; bin: Record<string, string>; files: string[] };
const HEAVY = ['@aws-sdk/', '@smithy/', 'ldapts', 'pg', 'mongodb'];
let aws: AwsTestServer;
let env: NodeJS.ProcessEnv;

/** The packages (folder names under node_modules) a process loaded, from Node's own module debug log. */
function packagesLoaded(stderr: string): Set<string> {
  return new Set([...stderr.matchAll(/node_modules\/((?:@[\w.-]+\/)?[\w.-]+)/g)].map((m) => m[1]));
}
/** Node's own modules a process required (not those they load inside). */
function builtinsRequired(stderr: string): Set<string> {
  return new Set([...stderr.matchAll(/load built-in module (?:node:)?([\w/]+)/g)].map((m) => m[1]));
}
/** What only a command that talks to a server or a terminal needs. */
const NETWORK_AND_TERMINAL = ['http', 'https', 'net', 'tls', 'dgram', 'dns', 'child_process', 'readline', 'tty', 'stream', 'zlib'];
const heavyIn = (loaded: Set<string>) => [...loaded].filter((p) => HEAVY.some((h) => (h.endsWith('/') ? p.startsWith(h) : p === h)));

beforeAll(async () => {
  aws = await startAwsTestServer();
  const home = mkdtempSync(join(tmpdir(), 'keyward-built-cli-'));
  env = { KEYWARD_HOME: join(home, 'vault'), HOME: home, KEYWARD_PASSPHRASE: PASSPHRASE };
  expect((await runCli(['init'], { env })).code).toBe(0);
});
afterAll(async () => aws?.close());

describe('the built CLI', () => {
  it('is the package bin: bin/keyward.cjs runs one CommonJS file, and the package holds both', () => {
    expect(pkg.bin.keyward).toBe('bin/keyward.cjs');
    expect(pkg.files).toEqual(expect.arrayContaining(['bin/keyward.cjs', 'out/cli/keyward.cjs', 'out/cli/aws-use.cjs', 'out/cli/route.cjs']));
    const built = readFileSync(CLI_OUT, 'utf8');
    expect(CLI_OUT.endsWith('out/cli/keyward.cjs')).toBe(true);
    // CommonJS (vm.Script compiles it with a code cache): no import statements.
    expect(built).not.toMatch(/^\s*import\s[^(]/m);
    expect(built).not.toMatch(/\bfrom\s*["'][^"']+["'];/);
  });

  it('runs credential-process and exec from a file of their own, without the services or the dispatcher', () => {
    const awsUse = readFileSync(CLI_OUT.replace(/keyward\.cjs$/, 'aws-use.cjs'), 'utf8');
    expect(awsUse.length).toBeLessThan(readFileSync(CLI_OUT, 'utf8').length / 5);
    // The build keeps names ("Name" strings): these classes and functions are not in it.
    for (const name of ['UnlockedSession', 'createCliDispatcher', 'CredentialService']) expect(awsUse).not.toContain(`"${name}"`);
    // Its key providers come from the composition root, as every command's.
    expect(awsUse).toContain('"createKeywardCore"');
  });

  it('prints the package version, the same on the quick path and through the CLI', async () => {
    const quick = await runCli(['--version'], { env });
    const full = await runCli(['--version', '--json'], { env });
    expect(quick.code).toBe(0);
    expect(quick.stdout).toBe(`keyward ${pkg.version}\n`);
    expect(full.stdout).toBe(quick.stdout);
  });

  it("lists without loading the AWS SDK, ldapts, pg, mongodb or Node's network and terminal modules; verifying an AWS key loads the SDK", async () => {
    aws.state.createUser('built-cli');
    const key = aws.state.createAccessKey('built-cli');
    const add = await runCli(['add', 'aws', '--name', 'built', '--access-key-id', key.accessKeyId, '--endpoint-url', aws.url, '--no-verify'], { env, stdin: `${key.secretAccessKey}\n` });
    expect(add.code).toBe(0);

    const list = await runCli(['list'], { env: { ...env, NODE_DEBUG: 'module' } });
    expect(list.code).toBe(0);
    expect(list.stdout).toContain('built');
    const listed = packagesLoaded(list.stderr);
    expect(listed.has('better-sqlite3')).toBe(true);
    expect(heavyIn(listed)).toEqual([]);
    const builtins = builtinsRequired(list.stderr);
    expect(builtins.has('crypto')).toBe(true); // the log is read as meant
    expect(NETWORK_AND_TERMINAL.filter((m) => builtins.has(m))).toEqual([]);

    const verify = await runCli(['verify', 'built', '--json'], { env: { ...env, NODE_DEBUG: 'module' } });
    expect(verify.code).toBe(0);
    expect(packagesLoaded(verify.stderr).has('@aws-sdk/client-sts')).toBe(true);
  });
});

describe('the code cache', () => {
  // The user's cache folder for this test alone (XDG_CACHE_HOME), and what is in it.
  const cacheHome = () => mkdtempSync(join(tmpdir(), 'keyward-code-cache-'));
  const cacheDir = (home: string) => join(home, 'keyward', 'cli');
  const cacheOf = (home: string, group: string) => {
    const names = readdirSync(cacheDir(home)).filter((f) => f.startsWith(`${group}-`));
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^[a-z-]+-[0-9a-f]{32}\.v8cache$/);
    return join(cacheDir(home), names[0]);
  };
  const whole = (bytes: Buffer) => createHash('sha256').update(bytes.subarray(32)).digest().equals(bytes.subarray(0, 32));

  it('is made owner-only in the user cache folder after a command, then used as it is', async () => {
    const home = cacheHome();
    const first = await runCli(['list'], { env: { ...env, XDG_CACHE_HOME: home } });
    expect(first.code).toBe(0);
    const file = cacheOf(home, 'list');
    expect(statSync(cacheDir(home)).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const made = readFileSync(file);
    expect(whole(made)).toBe(true);
    const before = statSync(file).mtimeMs;

    const second = await runCli(['list'], { env: { ...env, XDG_CACHE_HOME: home } });
    expect(second).toMatchObject({ code: 0, stdout: first.stdout, stderr: '' });
    // Accepted by V8: not made again.
    expect(statSync(file).mtimeMs).toBe(before);
    expect(readFileSync(file).equals(made)).toBe(true);
    // Each burst command has its own; the rest share one.
    expect((await runCli(['--help'], { env: { ...env, XDG_CACHE_HOME: home } })).code).toBe(0);
    expect(cacheOf(home, 'cli')).not.toBe(file);
  });

  it('ignores a corrupt, truncated, foreign or group-readable cache and makes it again', async () => {
    const home = cacheHome();
    const run = () => runCli(['list'], { env: { ...env, XDG_CACHE_HOME: home } });
    const expected = await run();
    expect(expected.code).toBe(0);
    const file = cacheOf(home, 'list');
    const good = readFileSync(file);
    // V8's cache of another script, with a valid checksum of ours.
    const foreign = new Script('(function () { return 42; })').createCachedData();
    const withSum = (b: Buffer) => Buffer.concat([createHash('sha256').update(b).digest(), b]);

    const flipped = Buffer.from(good);
    flipped[flipped.length >> 1] ^= 0xff;
    const cases: Array<[string, () => void]> = [
      ['a flipped byte', () => writeFileSync(file, flipped)],
      ['a truncated file', () => writeFileSync(file, good.subarray(0, good.length >> 1))],
      ["another script's cache", () => writeFileSync(file, withSum(foreign))],
      ['random bytes with a valid checksum', () => writeFileSync(file, withSum(Buffer.alloc(4096, 7)))],
      ['a group-readable file', () => chmodSync(file, 0o644)],
    ];
    for (const [what, spoil] of cases) {
      spoil();
      const spoilt = readFileSync(file);
      const r = await run();
      expect(r, what).toMatchObject({ code: 0, stdout: expected.stdout, stderr: '' });
      const now = readFileSync(cacheOf(home, 'list'));
      expect(statSync(file).mode & 0o777, what).toBe(0o600);
      expect(whole(now), what).toBe(true);
      if (what !== 'a group-readable file') expect(now.equals(spoilt), what).toBe(false);
    }
  });

  it('runs without a cache where the cache folder cannot be written', async () => {
    const home = cacheHome();
    writeFileSync(join(home, 'keyward'), 'a file where the folder would go');
    const r = await runCli(['list'], { env: { ...env, XDG_CACHE_HOME: home } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('built');
  });

  it.runIf(process.platform === 'linux')('runs without a cache, and exits, where mkdir answers "no such file" under a folder that exists (/proc)', async () => {
    // Node's recursive mkdirSync loops forever there; the CLI hung at exit writing its cache.
    const r = await runCli(['list'], { env: { ...env, XDG_CACHE_HOME: '/proc/keyward-no-such-folder' }, wrap: ['timeout', '20'] });
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain('built');
  });
});
