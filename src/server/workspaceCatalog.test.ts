// workspaces.json: strict validation with errors naming the field, and the first-run seed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadWorkspaceCatalog, parseWorkspacesFile } from './workspaceCatalog.js';

const parse = (v: unknown) => () =>
  parseWorkspacesFile('w.json', typeof v === 'string' ? v : JSON.stringify(v));

describe('parseWorkspacesFile', () => {
  it('accepts names, ports with labels, and static-http services', () => {
    const defs = parseWorkspacesFile(
      'w.json',
      JSON.stringify({
        workspaces: [
          {
            name: 'api-2',
            ports: [{ port: 3000, label: 'dev' }],
            services: [{ type: 'static-http', port: 3000, body: 'x' }],
          },
        ],
      }),
    );
    expect(defs).toEqual([
      {
        name: 'api-2',
        ports: [{ port: 3000, label: 'dev' }],
        services: [{ type: 'static-http', port: 3000, body: 'x' }],
      },
    ]);
  });

  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['no list', { name: 'x' }, /expected/],
    ['bad name', { workspaces: [{ name: '-x' }] }, /workspaces\[0\]\.name/],
    ['name with space', { workspaces: [{ name: 'a b' }] }, /workspaces\[0\]\.name/],
    ['uppercase', { workspaces: [{ name: 'API' }] }, /workspaces\[0\]\.name/],
    ['duplicate', { workspaces: [{ name: 'a' }, { name: 'a' }] }, /appears twice/],
    ['port 0', { workspaces: [{ name: 'a', ports: [{ port: 0 }] }] }, /ports\[0\]\.port/],
    [
      'label newline',
      { workspaces: [{ name: 'a', ports: [{ port: 1, label: 'a\nb' }] }] },
      /ports\[0\]\.label/,
    ],
    [
      'unknown service',
      { workspaces: [{ name: 'a', services: [{ type: 'exec', port: 1 }] }] },
      /services\[0\]\.type/,
    ],
    [
      'service dir and body',
      { workspaces: [{ name: 'a', services: [{ type: 'static-http', port: 1, dir: 'd', body: 'b' }] }] },
      /exactly one/,
    ],
  ])('refuses %s, naming the field', (_n, v, msg) => {
    expect(parse(v)).toThrow(msg);
    try {
      parse(v)();
    } catch (e) {
      expect((e as { code: string }).code).toBe('workspaces_invalid');
    }
  });
});

describe('loadWorkspaceCatalog', () => {
  it('seeds api (with a page) and web on first run, with stable ids and absolute dirs', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-cat-'));
    try {
      const defs = await loadWorkspaceCatalog(dir);
      expect(defs.map((d) => d.id)).toEqual(['ws-api', 'ws-web']);
      expect(defs[0]!.services[0]).toMatchObject({ type: 'static-http', dir: 'public' });
      expect(defs[0]!.ports[0]!.port).toBe(defs[0]!.services[0]!.port);
      for (const d of defs) expect(path.isAbsolute(d.dir) && fs.statSync(d.dir).isDirectory()).toBe(true);
      // The file is kept: the second load reads it (same port).
      expect(await loadWorkspaceCatalog(dir)).toEqual(defs);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
