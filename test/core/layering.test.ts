import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The import rules that keep DESIGN.md's layers true are lint rules; these tests prove
// the rules fire, so a broken eslint config cannot silently let a layer reach up.
const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function violations(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering lint rules', () => {
  it('fails when core imports electron', async () => {
    const v = await violations("import { app } from 'electron';\nexport const a = app;\n", 'electron/core/probe.ts');
    expect(v.join('\n')).toMatch(/electron\/core is plain Node/);
  });

  it('fails when core reaches into the renderer', async () => {
    const v = await violations("import { x } from '../../renderer/src/probe';\nexport const a = x;\n", 'electron/core/probe.ts');
    expect(v).toHaveLength(1);
  });

  it('fails when the renderer imports a Node module or core', async () => {
    const v = await violations(
      "import { readFileSync } from 'node:fs';\nimport { KeywardError } from '../../electron/core/errors';\nexport const a = [readFileSync, KeywardError];\n",
      'renderer/src/probe.ts',
    );
    expect(v.some((m) => /Node modules/.test(m))).toBe(true);
    expect(v.some((m) => /only shared/.test(m))).toBe(true);
  });

  it('fails when shared imports Node or electron code', async () => {
    const v = await violations("import { createHash } from 'crypto';\nexport const a = createHash;\n", 'shared/probe.ts');
    expect(v.join('\n')).toMatch(/shared\/ is pure/);
  });

  it('accepts core importing shared and Node', async () => {
    const v = await violations("import { join } from 'node:path';\nimport { maskKeyId } from '../../shared/mask';\nexport const a = [join, maskKeyId];\n", 'electron/core/probe.ts');
    expect(v).toEqual([]);
  });
});

describe('npm packages by layer', () => {
  it('refuses a Node-only package in the renderer, and a build tool', async () => {
    const v = await violations("import Database from 'better-sqlite3';\nimport { build } from 'esbuild';\nexport const a = [Database, build];\n", 'renderer/src/probe.ts');
    expect(v).toEqual([
      expect.stringContaining('better-sqlite3 needs Node: the renderer may not import it.'),
      expect.stringContaining('esbuild is a build or test tool: the renderer may not import it.'),
    ]);
  });

  it('refuses react, zustand and electron in core and the CLI, subpaths too', async () => {
    const core = await violations("import { useState } from 'react';\nimport { create } from 'zustand/vanilla';\nexport const a = [useState, create];\n", 'electron/core/probe.ts');
    expect(core).toHaveLength(2);
    const cli = await violations("import { createRoot } from 'react-dom/client';\nexport const a = createRoot;\n", 'electron/cli/probe.ts');
    expect(cli).toEqual([expect.stringContaining('react-dom is a window (React) package: electron/core and the CLI may not import it.')]);
  });

  it('lets shared import only packages that run anywhere', async () => {
    expect(await violations("import { z } from 'zod';\nexport const a = z;\n", 'shared/probe.ts')).toEqual([]);
    expect(await violations("import { Client } from 'pg';\nexport const a = Client;\n", 'shared/probe.ts')).toEqual([expect.stringContaining('pg needs Node: shared/ may not import it.')]);
  });

  it('places every dependency of package.json', async () => {
    const { PACKAGE_LAYERS } = (await import(new URL('../../eslint.config.js', import.meta.url).href)) as { PACKAGE_LAYERS: Record<string, string> };
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: object; devDependencies: object };
    expect(Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((n) => !(n in PACKAGE_LAYERS))).toEqual([]);
  });
});

// Each layer's tsconfig, applied to one probe file: what the layer may not use does not compile.
const ROOT = new URL('../..', import.meta.url).pathname;
function compileErrors(config: string, code: string, file: string): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(join(ROOT, config), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined });
  if (!parsed) throw new Error(`${config} does not parse`);
  const probe = join(ROOT, file);
  const host = ts.createCompilerHost(parsed.options);
  const read = host.readFile.bind(host);
  host.readFile = (f) => (f === probe ? code : read(f));
  host.fileExists = (
    (exists) => (f: string) =>
      f === probe || exists(f)
  )(host.fileExists.bind(host));
  const extra = parsed.fileNames.filter((f) => f.endsWith('.d.ts') && !dirname(f).includes('node_modules'));
  const program = ts.createProgram([probe, ...extra], parsed.options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('per-layer tsconfig', () => {
  it('core has no DOM', () => {
    expect(compileErrors('tsconfig.core.json', 'export const t = document.title;\n', 'electron/core/probe.ts').join('\n')).toMatch(/Cannot find name 'document'/);
    expect(compileErrors('tsconfig.core.json', "import { readFileSync } from 'node:fs';\nexport const t = [readFileSync, Buffer.alloc(1)];\n", 'electron/core/probe.ts')).toEqual([]);
  });

  it('the renderer has no Node types', () => {
    expect(compileErrors('tsconfig.renderer.json', 'export const t = process.env.HOME;\n', 'renderer/src/probe.ts').join('\n')).toMatch(/Cannot find name 'process'/);
    expect(compileErrors('tsconfig.renderer.json', 'export const t = document.title;\n', 'renderer/src/probe.ts')).toEqual([]);
  });

  it('shared has neither, but the URL both provide', () => {
    expect(compileErrors('tsconfig.shared.json', 'export const t = Buffer.alloc(1);\n', 'shared/probe.ts').join('\n')).toMatch(/Cannot find name 'Buffer'/);
    expect(compileErrors('tsconfig.shared.json', 'export const t = window.name;\n', 'shared/probe.ts').join('\n')).toMatch(/Cannot find name 'window'/);
    expect(compileErrors('tsconfig.shared.json', "export const t = new URL('https://example.com').hostname;\n", 'shared/probe.ts')).toEqual([]);
  });
});
