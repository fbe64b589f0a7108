import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function lint(file: string, code: string): Promise<string[]> {
  const [r] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (r?.messages ?? []).filter((m) => m.ruleId === 'runcode/layers').map((m) => m.message);
}

describe('the layer rule', () => {
  it.each([
    ['src/core/x.ts', "import { a } from '../main/a.js';\nexport const b = a;"],
    ['src/core/x.ts', "import { app } from 'electron';\nexport const b = app;"],
    ['src/server/x.ts', "import { a } from '../cli/a.js';\nexport const b = a;"],
    ['src/renderer/x.ts', "import { a } from '../core/a.js';\nexport const b = a;"],
    ['src/renderer/x.ts', "import fs from 'node:fs';\nexport const b = fs;"],
    ['src/preload/x.ts', "import { a } from '../core/a.js';\nexport const b = a;"],
    ['src/shared/x.ts', "import { z } from 'zod';\nexport const b = z;"],
    ['src/main/x.ts', "import { a } from '../renderer/a.js';\nexport const b = a;"],
    ['src/core/x.ts', "export const load = () => import('../cli/a.js');"],
  ])('refuses an import across the line in %s', async (file, code) => {
    expect(await lint(file, code)).toHaveLength(1);
  });

  it.each([
    ['src/core/x.ts', "import { a } from '../shared/a.js';\nexport const b = a;"],
    ['src/cli/x.ts', "import { a } from '../server/a.js';\nexport const b = a;"],
    ['src/main/x.ts', "import { app } from 'electron';\nexport const b = app;"],
    ['src/shared/x.ts', "import type { A } from './a.js';\nexport type B = A;"],
    ['src/core/x.test.ts', "import { a } from '../server/testing/a.js';\nexport const b = a;"],
    ['src/core/testing/x.ts', "import { a } from '../../server/ca.js';\nexport const b = a;"],
  ])('allows %s', async (file, code) => {
    expect(await lint(file, code)).toEqual([]);
  });
});
