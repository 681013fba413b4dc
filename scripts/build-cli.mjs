#!/usr/bin/env node
// Builds the `keyward` CLI into one CommonJS file run by plain Node: out/cli/keyward.cjs.
// bin/keyward.cjs compiles it with a V8 code cache (CommonJS, so that vm.Script can take
// the cache: Node 20 has no code cache for ES modules); dynamic import() still works.
//
// Our code and zod are bundled. Every other package stays in node_modules (a runtime
// dependency of the npm package, in the app's asar), and a static `import { X } from 'pkg'`
// of one is compiled into a lazy binding: the package is required the first time X is used
// (constructed, called or read), not when the CLI starts. So `keyward list` never loads
// the AWS SDKs, ldapts, pg or mongodb, whichever provider file imports them, and
// `keyward --version` loads no package at all. A dynamic `import('pkg')` becomes a require()
// when it runs (the file is compiled by vm.Script, where import() needs an experimental flag).
//
//   node scripts/build-cli.mjs            build (also `npm run build:cli`, vitest's globalSetup)
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI_OUT = resolve(ROOT, 'out/cli/keyward.cjs');
/**
 * The built files, each one CommonJS file with all it needs: the whole CLI; credential-process
 * and exec alone (the AWS CLI runs it on every call: a twelfth of the size); and the
 * routing bin/keyward.cjs asks which of the two runs a command line.
 */
export const CLI_ENTRIES = {
  keyward: resolve(ROOT, 'electron/cli/main.ts'),
  'aws-use': resolve(ROOT, 'electron/cli/aws-use-main.ts'),
  route: resolve(ROOT, 'electron/cli/route.ts'),
};

/** Packages bundled into the CLI (small, pure JS, needed by nearly every command). */
const BUNDLED = new Set(['zod']);

/**
 * Node's modules that `list` or `show` never use but some command's module imports:
 * loading them costs a start-up several milliseconds (http and https bring net, tls and
 * streams). They are bound lazily like packages; crypto, fs, path, os and util are not.
 */
const LAZY_BUILTINS = new Set(['node:http', 'node:https', 'node:net', 'node:tls', 'node:tty', 'node:readline', 'node:stream', 'node:child_process', 'node:dgram', 'node:dns', 'node:zlib']);

const packageName = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
const isBare = (spec) => !spec.startsWith('.') && !spec.startsWith('/') && !spec.startsWith('node:') && !spec.startsWith('@shared');

// The lazy binding: a Proxy that stands for the export until first use, then forwards
// everything (new, calls, properties, instanceof, extends) to the real one.
const LAZY_RUNTIME = `
export function lazyExport(load, name, isFunction) {
  let real;
  const get = () => (real ??= name === 'default' ? load() : load()[name]);
  const proxy = new Proxy(isFunction ? function () {} : {}, {
    get: (_, k) => Reflect.get(get(), k),
    set: (_, k, v) => Reflect.set(get(), k, v),
    has: (_, k) => Reflect.has(get(), k),
    ownKeys: () => Reflect.ownKeys(get()),
    getOwnPropertyDescriptor: (_, k) => { const d = Reflect.getOwnPropertyDescriptor(get(), k); if (d) d.configurable = true; return d; },
    getPrototypeOf: () => Reflect.getPrototypeOf(get()),
    apply: (_, self, args) => Reflect.apply(get(), self, args),
    construct: (_, args, newTarget) => Reflect.construct(get(), args, newTarget === proxy ? get() : newTarget),
  });
  return proxy;
}
`;

/** The shim module for one package: each of its exports, bound lazily. */
function lazyModule(pkg, requireFrom) {
  const mod = requireFrom(pkg);
  const names = Object.keys(mod).filter((n) => n !== 'default' && n !== '__esModule' && /^[A-Za-z_$][\w$]*$/.test(n));
  const kind = (v) => (typeof v === 'function' ? 'true' : v !== null && typeof v === 'object' ? 'false' : null);
  const lines = [
    `import { lazyExport } from 'keyward:lazy-runtime';`,
    `let m; const load = () => (m ??= (() => { const x = require(${JSON.stringify(pkg)}); return x && x.__esModule && 'default' in x ? Object.assign(Object.create(x), { default: x.default }) : x; })());`,
  ];
  // A primitive export cannot be bound lazily: importing one fails the build (no such export).
  for (const n of names) if (kind(mod[n])) lines.push(`export const ${n} = /* @__PURE__ */ lazyExport(load, ${JSON.stringify(n)}, ${kind(mod[n])});`);
  const def = mod.__esModule ? mod.default : mod;
  if (kind(def)) lines.push(`export default /* @__PURE__ */ lazyExport(() => { const x = load(); return x.__esModule ? x.default : x; }, 'default', ${kind(def)});`);
  return lines.join('\n');
}

/** The esbuild plugin that turns static imports of packages into lazy bindings. */
export function lazyPackagesPlugin() {
  return {
    name: 'keyward-lazy-packages',
    setup(b) {
      const requireFrom = createRequire(resolve(ROOT, 'package.json'));
      b.onResolve({ filter: /^keyward:lazy-runtime$/ }, () => ({ path: 'lazy-runtime', namespace: 'keyward-lazy' }));
      b.onLoad({ filter: /^lazy-runtime$/, namespace: 'keyward-lazy' }, () => ({ contents: LAZY_RUNTIME, loader: 'js' }));
      // Node's own modules that only some commands use are bound lazily as packages are.
      b.onResolve({ filter: /^node:/ }, (args) => {
        if (args.kind === 'dynamic-import') return { path: args.path, namespace: 'keyward-require' };
        if (args.kind === 'import-statement' && LAZY_BUILTINS.has(args.path) && args.namespace !== 'keyward-lazy') return { path: args.path, namespace: 'keyward-lazy' };
        return undefined;
      });
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        if (!isBare(args.path) || BUNDLED.has(packageName(args.path))) return undefined;
        // The shims' own require() loads the real package at run time.
        if (args.namespace === 'keyward-lazy' || args.namespace === 'keyward-require' || args.kind === 'require-call') return { path: args.path, external: true };
        // import('pkg'): a module that requires it, evaluated when the import() runs.
        if (args.kind === 'dynamic-import') return { path: args.path, namespace: 'keyward-require' };
        if (args.kind !== 'import-statement') return { path: args.path, external: true };
        return { path: args.path, namespace: 'keyward-lazy' };
      });
      b.onLoad({ filter: /.*/, namespace: 'keyward-lazy' }, (args) => ({ contents: lazyModule(args.path, requireFrom), loader: 'js', resolveDir: ROOT }));
      b.onLoad({ filter: /.*/, namespace: 'keyward-require' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js', resolveDir: ROOT }));
    },
  };
}

/**
 * aws-use.cjs opens the vault alone (KeywardCore.openVaultAlone): the services a session
 * builds, which core imports when a session opens, are left out of it, so the file every
 * AWS call compiles stays a twelfth of the whole CLI. Reaching them there is a bug that
 * says so, not a silent fallback.
 */
function withoutSessionPlugin() {
  const session = resolve(ROOT, 'electron/core/app/session.ts');
  return {
    name: 'keyward-aws-use-without-session',
    setup(b) {
      b.onResolve({ filter: /\/session$/ }, (args) => (resolve(args.resolveDir, `${args.path}.ts`) === session ? { path: 'session', namespace: 'keyward-no-session' } : undefined));
      b.onLoad({ filter: /.*/, namespace: 'keyward-no-session' }, () => ({
        contents: "throw new Error('Keyward internal error: out/cli/aws-use.cjs (credential-process, exec) holds no vault session; it opens the vault alone.');",
        loader: 'js',
      }));
    },
  };
}

/**
 * zod's error messages come in some 40 languages, all imported by `z.locales`; the CLI
 * speaks English, zod's default (registered from locales/en.js by zod itself). Only
 * `z.locales.en` is kept: it halves zod's share of the build and of every start-up.
 */
function zodEnglishOnlyPlugin() {
  const locales = resolve(ROOT, 'node_modules/zod/v4/locales');
  return {
    name: 'keyward-zod-english-only',
    setup(b) {
      b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
        resolve(args.resolveDir, args.path) === resolve(locales, 'index.js') ? { path: 'zod-locales', namespace: 'keyward-zod-locales' } : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'keyward-zod-locales' }, () => ({ contents: "export { default as en } from './en.js';", loader: 'js', resolveDir: locales }));
    },
  };
}

export async function buildCli({ outdir = dirname(CLI_OUT), minify = true } = {}) {
  const common = {
    outdir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20.19',
    // import.meta.url in CommonJS: this file's URL (the one use is finding better-sqlite3's builds).
    define: { 'import.meta.url': '__keywardImportMetaUrl' },
    minify,
    keepNames: true,
    legalComments: 'none',
    logLevel: 'warning',
    alias: { '@shared': resolve(ROOT, 'shared') },
    banner: {
      js: [
        '// keyward: built by scripts/build-cli.mjs from electron/cli and run by bin/keyward.cjs; packages load from node_modules on first use.',
        "var __keywardImportMetaUrl = require('node:url').pathToFileURL(__filename).href;",
        // The SDK warns that Node 20 support ends in 2027; the CLI's stderr is for its own messages.
        "process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';",
      ].join('\n'),
    },
  };
  const { 'aws-use': awsUse, ...rest } = CLI_ENTRIES;
  const results = await Promise.all([
    build({ ...common, entryPoints: rest, plugins: [zodEnglishOnlyPlugin(), lazyPackagesPlugin()] }),
    build({ ...common, entryPoints: { 'aws-use': awsUse }, plugins: [withoutSessionPlugin(), zodEnglishOnlyPlugin(), lazyPackagesPlugin()] }),
  ]);
  // vm.Script runs the file: an import() left in it would fail when it is called.
  for (const name of Object.keys(CLI_ENTRIES)) {
    const outfile = resolve(outdir, `${name}.cjs`);
    const left = /\bimport\(\s*["'`]([^"'`]+)/.exec(readFileSync(outfile, 'utf8'));
    if (left) throw new Error(`${outfile} still holds import("${left[1]}"): a dynamic import in the CLI must be of our own code or a package.`);
  }
  return results;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildCli();
}
