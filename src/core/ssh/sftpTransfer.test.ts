import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Client } from 'ssh2';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requireTool } from '../testing/requireTool.js';
import { gw, useGatewayHost } from '../forwards/testing/useGatewayHost.js';
import { getFile, putFile } from './sftpTransfer.js';
import type { TransferProgress } from './sftpTransfer.js';
import { connectSsh } from './sshConnection.js';

useGatewayHost();
let client: Client;
let tmp: string;
beforeAll(async () => {
  client = await connectSsh(await gw.newTarget());
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-sftp-'));
});
afterAll(async () => {
  client?.end();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const sha256 = (file: string): string =>
  crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const leftovers = (dir: string): string[] => fs.readdirSync(dir).filter((n) => n.endsWith('.part'));

describe('SFTP put/get', () => {
  beforeEach(() => requireTool('sftp-server'));
  it('puts then gets a 50 MB file with the same sha256, keeping the mode, with progress', async () => {
    const local = path.join(tmp, 'big.bin');
    fs.writeFileSync(local, crypto.randomBytes(50 * 1024 * 1024));
    fs.chmodSync(local, 0o751);
    const remote = path.join(gw.dir, 'big.bin');
    const progress: TransferProgress[] = [];
    const put = await putFile(client, local, remote, { onProgress: (p) => progress.push(p) });
    expect(put).toEqual({ path: remote, bytes: 50 * 1024 * 1024, mode: 0o751 });
    expect(fs.statSync(remote).mode & 0o7777).toBe(0o751);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toEqual({ bytes: 50 * 1024 * 1024, total: 50 * 1024 * 1024 });
    expect(progress.every((p, i) => i === 0 || p.bytes >= progress[i - 1]!.bytes)).toBe(true);

    const back = path.join(tmp, 'back.bin');
    const got = await getFile(client, remote, back);
    expect(got.bytes).toBe(50 * 1024 * 1024);
    expect(sha256(back)).toBe(sha256(local));
    expect(fs.statSync(back).mode & 0o7777).toBe(0o751);
    expect(leftovers(gw.dir)).toEqual([]);
    expect(leftovers(tmp)).toEqual([]);
  });

  it('refuses to overwrite unless asked, both ways', async () => {
    const local = path.join(tmp, 'a.txt');
    fs.writeFileSync(local, 'new');
    const remote = path.join(gw.dir, 'a.txt');
    fs.writeFileSync(remote, 'old');
    await expect(putFile(client, local, remote)).rejects.toMatchObject({ code: 'exists' });
    expect(fs.readFileSync(remote, 'utf8')).toBe('old');
    await putFile(client, local, remote, { overwrite: true });
    expect(fs.readFileSync(remote, 'utf8')).toBe('new');

    fs.writeFileSync(remote, 'remote');
    await expect(getFile(client, remote, local)).rejects.toMatchObject({ code: 'exists' });
    expect(fs.readFileSync(local, 'utf8')).toBe('new');
    await getFile(client, remote, local, { overwrite: true });
    expect(fs.readFileSync(local, 'utf8')).toBe('remote');
    expect(leftovers(gw.dir)).toEqual([]);
    expect(leftovers(tmp)).toEqual([]);
  });

  it('puts into a directory under the source name, and gets an empty file', async () => {
    const local = path.join(tmp, 'empty.txt');
    fs.writeFileSync(local, '');
    const put = await putFile(client, local, gw.dir);
    expect(put.path).toBe(path.join(gw.dir, 'empty.txt'));
    const dl = fs.mkdtempSync(path.join(tmp, 'dl-'));
    const got = await getFile(client, put.path, dl);
    expect(got.path).toBe(path.join(dl, 'empty.txt'));
    expect(fs.readFileSync(got.path, 'utf8')).toBe('');
  });

  it('leaves nothing behind when a transfer fails', async () => {
    await expect(putFile(client, path.join(tmp, 'missing'), gw.dir)).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(getFile(client, path.join(gw.dir, 'missing'), tmp)).rejects.toMatchObject({
      code: 'not_found',
    });
    // Into a directory that does not exist: the error names that directory, and nothing is left.
    const local = path.join(tmp, 'x.txt');
    fs.writeFileSync(local, 'x');
    const noDir = path.join(gw.dir, 'no', 'such');
    await expect(putFile(client, local, path.join(noDir, 'x.txt'))).rejects.toMatchObject({
      code: 'not_found',
      message: `the directory ${noDir} does not exist in the workspace`,
    });
    await expect(putFile(client, local, `${noDir}/`)).rejects.toMatchObject({
      message: `the directory ${noDir} does not exist in the workspace`,
    });
    // A file where a directory is needed says so.
    fs.writeFileSync(path.join(gw.dir, 'plain'), '');
    await expect(putFile(client, local, path.join(gw.dir, 'plain', 'x.txt'))).rejects.toMatchObject({
      message: `${path.join(gw.dir, 'plain')} in the workspace is not a directory`,
    });
    expect(fs.existsSync(path.join(gw.dir, 'no'))).toBe(false);
    expect(leftovers(gw.dir)).toEqual([]);
    // The same for get, on this machine's side.
    await expect(
      getFile(client, path.join(gw.dir, 'plain'), path.join(tmp, 'nope', 'x')),
    ).rejects.toMatchObject({
      code: 'not_found',
      message: `the directory ${path.join(tmp, 'nope')} does not exist here`,
    });
    expect(fs.existsSync(path.join(tmp, 'nope'))).toBe(false);
  });
});
