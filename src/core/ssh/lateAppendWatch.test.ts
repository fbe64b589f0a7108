import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LateAppendWatch } from './lateAppendWatch.js';
import { makeTempDir } from '../testing/tempDir.js';

let dir: string;
beforeEach(() => {
  dir = makeTempDir('runcode-lateappend-');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the replaced file is watched for late appends', () => {
  it('bytes an appender writes into the replaced file reach the new one, after the ones handed first', async () => {
    const real = path.join(dir, 'config');
    fs.writeFileSync(real, 'theirs\n');
    const old = await fsp.open(real, 'r');
    const appender = fs.openSync(real, 'a'); // opened before our rename, as `cat >>` would be
    try {
      expect(await old.readFile({ encoding: 'latin1' })).toBe('theirs\n');
      fs.writeFileSync(`${real}.tmp`, 'ours\n');
      fs.renameSync(`${real}.tmp`, real);
      const watch = new LateAppendWatch(real, old);
      fs.writeSync(appender, 'Host late\n');
      expect(fs.readFileSync(real, 'latin1')).toBe('ours\n');
      await watch.handOn('Host seen-before\n');
      expect(fs.readFileSync(real, 'latin1')).toBe('ours\nHost seen-before\nHost late\n');
    } finally {
      fs.closeSync(appender);
      await old.close();
    }
  });
});
