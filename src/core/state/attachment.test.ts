import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { attachedPath, detachIfAttached, readAttached, writeAttached } from './attachment.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-attach-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('attached workspace', () => {
  it('none at first; attach, re-attach, detach', async () => {
    expect(await readAttached(dir)).toBeUndefined();
    await writeAttached(dir, 'api');
    expect(await readAttached(dir)).toBe('api');
    expect(JSON.parse(fs.readFileSync(attachedPath(dir), 'utf8'))).toEqual({ version: 1, name: 'api' });
    expect((fs.statSync(attachedPath(dir)).mode & 0o777).toString(8)).toBe('600');
    await writeAttached(dir, 'web');
    expect(await readAttached(dir)).toBe('web');
    await writeAttached(dir, undefined);
    expect(await readAttached(dir)).toBeUndefined();
    expect(fs.existsSync(attachedPath(dir))).toBe(false);
  });

  it('detachIfAttached detaches only the attached one', async () => {
    await writeAttached(dir, 'api');
    expect(await detachIfAttached(dir, 'web')).toBe(false);
    expect(await readAttached(dir)).toBe('api');
    expect(await detachIfAttached(dir, 'api')).toBe(true);
    expect(await readAttached(dir)).toBeUndefined();
    expect(await detachIfAttached(dir, 'api')).toBe(false);
  });

  it('refuses to attach an invalid name, and changes nothing', async () => {
    await writeAttached(dir, 'api');
    await expect(writeAttached(dir, 'Not A Name\u001b[31m')).rejects.toThrow();
    expect(await readAttached(dir)).toBe('api');
  });

  it.each([
    ['not JSON', '{'],
    ['a bad name', '{"version":1,"name":"../etc"}'],
    ['a name with escapes', '{"version":1,"name":"a\\u001b[2J"}'],
    ['another version', '{"version":2,"name":"api"}'],
    ['an unknown field', '{"version":1,"name":"api","x":1}'],
  ])('a damaged file (%s) is state_corrupt, and is left as it is', async (_why, text) => {
    fs.writeFileSync(attachedPath(dir), text);
    await expect(readAttached(dir)).rejects.toMatchObject({ code: 'state_corrupt' });
    await expect(detachIfAttached(dir, 'api')).rejects.toMatchObject({ code: 'state_corrupt' });
    expect(fs.readFileSync(attachedPath(dir), 'utf8')).toBe(text);
  });
});
