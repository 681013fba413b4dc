import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

// electron-builder.yml, checked as far as this machine allows without downloading
// Electron: it parses and satisfies electron-builder's own schema, every file it names
// exists, and the app archive it describes would hold out/ (main, preload, renderer, the
// built CLI) and the native modules, unpacked. Needs `npx electron-vite build` and the
// built CLI (npm test builds both).

const ROOT = resolve(import.meta.dirname, '../..');
const require = createRequire(join(ROOT, 'package.json'));
const yaml = require('js-yaml') as { load(text: string): unknown };
const { minimatch } = require('minimatch') as { minimatch(path: string, pattern: string, opts?: object): boolean };
const Ajv = require('ajv') as new (opts: object) => { compile(schema: object): ((data: unknown) => boolean) & { errors?: unknown } };

interface BuilderConfig {
  productName: string;
  npmRebuild: boolean;
  directories: { buildResources: string; output: string };
  files: string[];
  asarUnpack: string[];
  extraResources: { from: string; to: string; filter: string[] }[];
  linux: { target: { target: string }[]; icon: string };
  mac: { target: { target: string; arch: string[] }[]; icon: string };
  win: { target: { target: string }[]; icon: string };
}
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { productName: string; dependencies: Record<string, string>; devDependencies: Record<string, string> };
let config: BuilderConfig;

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else out.push(relative(ROOT, full));
  }
  return out;
}

/** electron-builder's rule: a file is in if the last pattern that matches it is not a negation. */
function selected(file: string, patterns: string[]): boolean {
  let inside = false;
  for (const p of patterns) {
    const negated = p.startsWith('!');
    if (minimatch(file, negated ? p.slice(1) : p, { dot: true })) inside = !negated;
  }
  return inside;
}

/** The packages a built file loads at run time (static imports, require() and import() of bare names). */
function packagesLoadedBy(file: string): Set<string> {
  const src = readFileSync(join(ROOT, file), 'utf8');
  const specs = [...src.matchAll(/(?:\bfrom\s*|\brequire\(\s*|\bimport\(\s*)["']([^"'./][^"']*)["']/g)].map((m) => m[1]);
  return new Set(specs.filter((s) => !s.startsWith('node:') && !builtinModules.includes(s) && s !== 'electron').map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0])));
}

beforeAll(() => {
  config = yaml.load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
  for (const f of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'out/cli/keyward.cjs']) {
    if (!existsSync(join(ROOT, f))) throw new Error(`${f} is missing: run \`npm run build\` first (npm test builds it).`);
  }
});

describe('electron-builder.yml', () => {
  it("parses and satisfies electron-builder's schema", () => {
    const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(schema);
    expect(validate(config), JSON.stringify(validate.errors, null, 2)).toBe(true);
    expect(config.productName).toBe(pkg.productName);
    expect(config.npmRebuild).toBe(false);
  });

  it('builds NSIS, DMG for both Mac architectures, AppImage and deb, with icons from resources/', () => {
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(config.mac.target).toEqual([{ target: 'dmg', arch: ['x64', 'arm64'] }]);
    expect(config.linux.target.map((t) => t.target)).toEqual(['AppImage', 'deb']);
    for (const icon of [config.win.icon, config.mac.icon, config.linux.icon]) {
      expect(icon.startsWith(`${config.directories.buildResources}/`)).toBe(true);
      expect(existsSync(join(ROOT, icon))).toBe(true);
    }
  });

  it('ships the CLI: its launchers exist and run the asar copy of bin/keyward.cjs with the app as Node', () => {
    const [cli] = config.extraResources;
    for (const f of cli.filter) expect(existsSync(join(ROOT, cli.from, f))).toBe(true);
    const sh = readFileSync(join(ROOT, cli.from, 'keyward'), 'utf8');
    const cmd = readFileSync(join(ROOT, cli.from, 'keyward.cmd'), 'utf8');
    for (const launcher of [sh, cmd]) {
      expect(launcher).toContain('ELECTRON_RUN_AS_NODE=1');
      expect(launcher).toMatch(/app\.asar[\\/]bin[\\/]keyward\.cjs/);
    }
    expect(statSync(join(ROOT, cli.from, 'keyward')).mode & 0o111).not.toBe(0);
  });

  it('would put out/ (main, preload, renderer, the built CLI) in the asar, and no source maps or sources', () => {
    const files = [...walk(join(ROOT, 'out')), ...walk(join(ROOT, 'bin')), 'package.json', ...walk(join(ROOT, 'electron')), ...walk(join(ROOT, 'renderer/src'))];
    const inAsar = files.filter((f) => selected(f, config.files));
    for (const f of ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'out/cli/keyward.cjs', 'out/cli/aws-use.cjs', 'out/cli/route.cjs', 'bin/keyward.cjs', 'package.json'])
      expect(inAsar).toContain(f);
    expect(inAsar.some((f) => f.startsWith('out/renderer/assets/') && f.endsWith('.js'))).toBe(true);
    expect(inAsar.filter((f) => f.endsWith('.map') || f.endsWith('.ts') || f.endsWith('.tsx'))).toEqual([]);
  });

  it('would hold the native modules, unpacked from the asar', () => {
    const natives = ['node_modules/better-sqlite3/build/Release/better_sqlite3.node', ...walk(join(ROOT, 'node_modules/@napi-rs')).filter((f) => f.endsWith('.node'))];
    expect(natives.length).toBeGreaterThan(1);
    for (const f of natives) {
      expect(selected(f, ['**/*', ...config.files.filter((p) => p.startsWith('!'))]), f).toBe(true);
      expect(
        config.asarUnpack.some((p) => minimatch(f, p, { dot: true })),
        f,
      ).toBe(true);
    }
    // electron-builder packs the production dependencies: both native modules are among them.
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['better-sqlite3', '@napi-rs/keyring']));
  });

  it('every package main and the CLI load at run time is a production dependency', () => {
    const loaded = new Set([...packagesLoadedBy('out/main/index.js'), ...['keyward', 'aws-use', 'route'].flatMap((f) => [...packagesLoadedBy(`out/cli/${f}.cjs`)])]);
    expect([...loaded].filter((p) => !(p in pkg.dependencies))).toEqual([]);
    expect(loaded.has('better-sqlite3')).toBe(true);
  });
});
