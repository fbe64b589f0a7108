import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ensureTlsMaterial } from './ca.js';

function get(url: string, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', reject);
  });
}

describe('ensureTlsMaterial', () => {
  it('serves HTTPS that a client trusting only ca.pem accepts on 127.0.0.1, ::1 and localhost', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-ca-'));
    const m = await ensureTlsMaterial(dir);
    const server = https.createServer({ cert: m.cert, key: m.key }, (_q, s) => s.end('ok'));
    try {
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const { port } = server.address() as AddressInfo;
      expect(await get(`https://127.0.0.1:${port}/`, m.ca)).toBe(200);
      expect(await get(`https://localhost:${port}/`, m.ca)).toBe(200);
      await expect(get(`https://127.0.0.1:${port}/`, '')).rejects.toThrow();
      expect(fs.statSync(path.join(dir, 'tls', 'server-key.pem')).mode & 0o777).toBe(0o600);
      const again = await ensureTlsMaterial(dir);
      expect(again.ca).toBe(m.ca);
    } finally {
      server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
