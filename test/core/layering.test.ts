import { ESLint } from 'eslint';
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
