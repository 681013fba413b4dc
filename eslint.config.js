import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

// Layering, as DESIGN.md draws it and a lint rule enforces:
//   shared/   imports nothing of ours and nothing of Node's or the DOM's runtime
//   electron/core imports neither electron nor renderer
//   renderer/ imports neither core/main/preload nor any Node module
const nodeModules = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const nodePatterns = { group: ['node:*'], message: 'Node modules are not available here.' };

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', '.artifacts/**', 'test-results/**', 'playwright-report/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['electron/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'electron/core is plain Node: it must not import electron.' }],
          patterns: [
            { group: ['**/renderer/**', '**/electron/main/**', '**/electron/preload/**', '**/main/*', '**/preload/*'], message: 'core must not reach up into main, preload or renderer.' },
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
          paths: [{ name: 'electron', message: 'The renderer talks to main only through window.keyward.' }, ...nodeModules.map((name) => ({ name, message: 'The renderer may not import Node modules.' }))],
          patterns: [nodePatterns, { group: ['**/electron/**', '**/core/**'], message: 'The renderer may import only shared/ and its own files.' }],
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
          patterns: [nodePatterns, { group: ['**/electron/**', '**/renderer/**', '**/test/**', '../../*'], message: 'shared/ imports nothing of ours outside shared/.' }],
        },
      ],
    },
  },
);
