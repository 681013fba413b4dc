import tseslint from 'typescript-eslint';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';

// Layering, as DESIGN.md draws it and a lint rule enforces:
//   shared/   imports nothing of ours and nothing of Node's or the DOM's runtime
//   electron/core imports neither electron nor renderer
//   renderer/ imports neither core/main/preload nor any Node module
const nodeModules = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const nodePatterns = { group: ['node:*'], message: 'Node modules are not available here.' };

// Every npm package, by where it can run (as Signal Desktop's lint does):
//   any       pure JavaScript that runs in the window and in Node alike
//   node      needs Node (native modules, sockets, the file system): core, CLI, main
//   electron  Electron's own API: main and preload only
//   ui        React and the window's libraries: the renderer only
//   tooling   build, test and type packages: never imported by shipped code
// A package.json dependency missing here fails the lint, so each new one is placed.
export const PACKAGE_LAYERS = {
  zod: 'any',
  '@aws-sdk/client-ec2': 'node',
  '@aws-sdk/client-iam': 'node',
  '@aws-sdk/client-secrets-manager': 'node',
  '@aws-sdk/client-ssm': 'node',
  '@aws-sdk/client-sts': 'node',
  '@napi-rs/keyring': 'node',
  'better-sqlite3': 'node',
  ldapts: 'node',
  mongodb: 'node',
  pg: 'node',
  electron: 'electron',
  react: 'ui',
  'react-dom': 'ui',
  recharts: 'ui',
  zustand: 'ui',
  '@tanstack/react-virtual': 'ui',
  '@axe-core/playwright': 'tooling',
  '@playwright/test': 'tooling',
  '@types/better-sqlite3': 'tooling',
  '@types/node': 'tooling',
  '@types/pg': 'tooling',
  '@types/react': 'tooling',
  '@types/react-dom': 'tooling',
  '@vitejs/plugin-react': 'tooling',
  'electron-builder': 'tooling',
  'electron-vite': 'tooling',
  esbuild: 'tooling',
  eslint: 'tooling',
  prettier: 'tooling',
  tsx: 'tooling',
  typescript: 'tooling',
  'typescript-eslint': 'tooling',
  vite: 'tooling',
  vitest: 'tooling',
};

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const unplaced = Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((name) => !(name in PACKAGE_LAYERS));
if (unplaced.length) throw new Error(`eslint.config.js: place ${unplaced.join(', ')} in PACKAGE_LAYERS (any, node, electron, ui or tooling).`);

const LAYER_WORDS = {
  node: 'needs Node',
  electron: 'is Electron',
  ui: 'is a window (React) package',
  tooling: 'is a build or test tool',
};
/** no-restricted-imports patterns refusing the packages of these kinds, `where` naming the layer. */
function packagesOf(kinds, where) {
  return Object.entries(PACKAGE_LAYERS)
    .filter(([, kind]) => kinds.includes(kind))
    .map(([name, kind]) => ({ regex: `^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(/|$)`, message: `${name} ${LAYER_WORDS[kind]}: ${where} may not import it.` }));
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', '.artifacts/**', 'test-results/**', 'playwright-report/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // CommonJS on purpose (bin/keyward.cjs: Node starts a CommonJS entry without its ES module loader).
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['electron/core/**/*.ts', 'electron/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'electron/core is plain Node: it must not import electron.' }],
          patterns: [
            { group: ['**/renderer/**', '**/electron/main/**', '**/electron/preload/**', '**/main/*', '**/preload/*'], message: 'core must not reach up into main, preload or renderer.' },
            ...packagesOf(['ui', 'tooling'], 'electron/core and the CLI'),
          ],
        },
      ],
    },
  },
  {
    // One write path: vault.tx (electron/core/vault/vault.ts) starts IMMEDIATE, waits and retries
    // when another Keyward writes, and tells disk full / read-only / damaged as such. A bare
    // db.transaction() outside vault/ would start DEFERRED and fail as SQLITE_BUSY under contention.
    // electron/core/rotation/ is allowed until it is moved onto vault.tx (the rotation work does that).
    files: ['electron/**/*.ts'],
    ignores: ['electron/core/vault/**', 'electron/core/rotation/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='transaction']", message: 'Write through vault.tx(fn), the one write path (IMMEDIATE, busy retries, storage errors told as such).' },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer talks to main only through window.keyward.' },
            ...nodeModules.map((name) => ({ name, message: 'The renderer may not import Node modules.' })),
          ],
          patterns: [nodePatterns, { group: ['**/electron/**', '**/core/**'], message: 'The renderer may import only shared/ and its own files.' }, ...packagesOf(['node', 'tooling'], 'the renderer')],
        },
      ],
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'shared/ is pure.' }, ...nodeModules.map((name) => ({ name, message: 'shared/ is pure: no Node modules.' }))],
          patterns: [
            nodePatterns,
            { group: ['**/electron/**', '**/renderer/**', '**/test/**', '../../*'], message: 'shared/ imports nothing of ours outside shared/.' },
            ...packagesOf(['node', 'electron', 'ui', 'tooling'], 'shared/'),
          ],
        },
      ],
    },
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ group: ['**/renderer/**'], message: 'main and preload do not import the renderer.' }, ...packagesOf(['ui', 'tooling'], 'main and preload')],
        },
      ],
    },
  },
);
