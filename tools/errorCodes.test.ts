import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, isErrorCode } from '../src/shared/errorCodes.js';

const SRC = path.resolve(import.meta.dirname, '../src');

/** Every non-test source file under src/, read once. */
function sources(): string {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (
        /\.tsx?$/.test(e.name) &&
        !/\.test\.tsx?$/.test(e.name) &&
        !p.includes(`${path.sep}testing${path.sep}`)
      )
        out.push(fs.readFileSync(p, 'utf8'));
    }
  };
  walk(SRC);
  return out.join('\n');
}

describe('error codes', () => {
  it('every code in the union is raised somewhere outside tests (a code nothing throws is dead weight)', () => {
    const text = sources().replace(/export const ERROR_CODES = \[[^\]]*\]/, '');
    const unused = ERROR_CODES.filter((c) => !text.includes(`'${c}'`));
    expect(unused).toEqual([]);
  });

  it('is sorted and has no duplicates (merges stay easy)', () => {
    expect([...ERROR_CODES]).toEqual([...new Set(ERROR_CODES)].sort());
  });

  it('isErrorCode tells a known code from anything else', () => {
    expect(isErrorCode('not_found')).toBe(true);
    expect(isErrorCode('nope')).toBe(false);
    expect(isErrorCode(3)).toBe(false);
  });
});
