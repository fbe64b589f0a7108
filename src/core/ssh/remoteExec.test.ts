import { PassThrough, Writable } from 'node:stream';
import type { Client } from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RuncodeError } from '../errors.js';
import { gw, useGatewayHost } from '../forwards/testing/useGatewayHost.js';
import { remoteExec } from './remoteExec.js';
import { connectSsh } from './sshConnection.js';

useGatewayHost();
let client: Client;
beforeAll(async () => {
  client = await connectSsh(await gw.newTarget());
});
afterAll(async () => {
  client?.end();
});

describe('remoteExec', () => {
  it('streams stdout and stderr and returns the exit code', async () => {
    let out = '';
    let err = '';
    const r = await remoteExec(client, 'echo out; echo err >&2; exit 3', {
      stdout: (b) => (out += b.toString()),
      stderr: (b) => (err += b.toString()),
    });
    expect(r).toEqual({ code: 3 });
    expect(out).toBe('out\n');
    expect(err).toBe('err\n');
  });

  it('runs in the workspace directory, takes stdin, and writes to streams', async () => {
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on('data', (b: Buffer) => chunks.push(b));
    const r = await remoteExec(client, 'pwd; tr a-z A-Z', { stdin: 'hello\n', stdout: sink });
    expect(r.code).toBe(0);
    expect(Buffer.concat(chunks).toString()).toBe(`${gw.dir}\nHELLO\n`);
    expect(sink.writableEnded).toBe(false);
  });

  it('reports a signal', async () => {
    const r = await remoteExec(client, 'kill -KILL $$');
    expect(r).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('can be cancelled', async () => {
    const ac = new AbortController();
    const p = remoteExec(client, 'sleep 30', { signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    await expect(p).rejects.toMatchObject({ code: 'cancelled' });
    await expect(remoteExec(client, 'true', { signal: ac.signal })).rejects.toBeInstanceOf(RuncodeError);
  });

  it('settles on cancel even when the output sink has stalled (stdout closed under `| head`)', async () => {
    const stalled = new Writable({ highWaterMark: 1024, write: () => undefined }); // never drains
    const ac = new AbortController();
    const p = remoteExec(client, 'yes', { signal: ac.signal, stdout: stalled });
    setTimeout(() => ac.abort(), 300);
    await expect(p).rejects.toMatchObject({ code: 'cancelled' });
  });
});
