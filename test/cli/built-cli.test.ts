import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_OUT } from '../../scripts/build-cli.mjs';
import { startAwsTestServer, type AwsTestServer } from '../support/aws-server';
import { runCli } from './run-cli';

// What ships: bin/keyward.mjs runs the one built file out/cli/keyward.mjs with plain Node
// (vitest's globalSetup built it from this source), and packages load only when a
// command needs them.

const PASSPHRASE = 'built cli passphrase 1';
const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string; bin: Record<string, string> };
const HEAVY = ['@aws-sdk/', '@smithy/', 'ldapts', 'pg', 'mongodb'];
let aws: AwsTestServer;
let env: NodeJS.ProcessEnv;

/** The packages (folder names under node_modules) a process loaded, from Node's own module debug log. */
function packagesLoaded(stderr: string): Set<string> {
  return new Set([...stderr.matchAll(/node_modules\/((?:@[\w.-]+\/)?[\w.-]+)/g)].map((m) => m[1]));
}
const heavyIn = (loaded: Set<string>) => [...loaded].filter((p) => HEAVY.some((h) => (h.endsWith('/') ? p.startsWith(h) : p === h)));

beforeAll(async () => {
  aws = await startAwsTestServer();
  const home = mkdtempSync(join(tmpdir(), 'keyward-built-cli-'));
  env = { KEYWARD_HOME: join(home, 'vault'), HOME: home, KEYWARD_PASSPHRASE: PASSPHRASE };
  expect((await runCli(['init'], { env })).code).toBe(0);
});
afterAll(async () => aws?.close());

describe('the built CLI', () => {
  it('is the package bin: one ES module with a shebang, run by plain Node', () => {
    expect(pkg.bin.keyward).toBe('bin/keyward.mjs');
    const built = readFileSync(CLI_OUT, 'utf8');
    expect(built.startsWith('#!/usr/bin/env node\n')).toBe(true);
    // No package is imported at the top: each is required on first use.
    expect(built).not.toMatch(/\bfrom\s*["'](?!node:)[^"']+["']/);
  });

  it('prints the package version, the same on the quick path and through the CLI', async () => {
    const quick = await runCli(['--version'], { env });
    const full = await runCli(['--version', '--json'], { env });
    expect(quick.code).toBe(0);
    expect(quick.stdout).toBe(`keyward ${pkg.version}\n`);
    expect(full.stdout).toBe(quick.stdout);
  });

  it('lists without loading the AWS SDK, ldapts, pg or mongodb; verifying an AWS key loads the SDK', async () => {
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

    const verify = await runCli(['verify', 'built', '--json'], { env: { ...env, NODE_DEBUG: 'module' } });
    expect(verify.code).toBe(0);
    expect(packagesLoaded(verify.stderr).has('@aws-sdk/client-sts')).toBe(true);
  });
});
