// `runcode mcp` end to end (issue 13): the built bin/runcode driven by the MCP SDK's own Client
// over stdio, against a real `runcode server`, signed in the way a user signs in.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAttached } from '../../core/state/attachment.js';
import type { CliServer } from '../testing/cliSandbox.js';
import { CliSandbox } from '../testing/cliSandbox.js';
import { startCliWorld, stopCliWorld } from '../testing/cliWorld.js';
import type { McpSession } from '../testing/mcpSession.js';
import { openMcpSession, text } from '../testing/mcpSession.js';
import { requireTool } from '../../core/testing/requireTool.js';
import { fetchText } from '../../core/testing/fetchText.js';

let server: CliServer;
let b: CliSandbox;
let mcp: McpSession;
let apiDir: string;
let resourceUpdates = 0;
/** Every tool result of the run, scanned for secrets at the end. */
const seen: string[] = [];

async function call(name: string, args: Record<string, unknown> = {}, onProgress?: (m: string) => void) {
  const r = await mcp.call(name, args, onProgress ? { onProgress } : {});
  seen.push(JSON.stringify(r));
  return r;
}

const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

async function waitFor(ok: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function expectError(r: CallToolResult, re: RegExp): void {
  expect(r.isError, text(r)).toBe(true);
  expect(text(r)).toMatch(re);
  expect(text(r)).not.toMatch(/\n\s+at /); // no stack
}

beforeAll(async () => {
  ({ server, b } = await startCliWorld({ label: 'runcode-mcp-' }));
  apiDir = path.join(server.dataDir, 'workspaces', 'api');
  mcp = await openMcpSession(b.env);
}, 120_000);

afterAll(async () => {
  await mcp?.close();
  await stopCliWorld({ b, server });
});

describe('runcode mcp', () => {
  it('lists its tools, each with a valid schema, a description and annotations', async () => {
    const { tools } = await mcp.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      [
        'connect',
        'exec',
        'get_file',
        'list_workspaces',
        'port_forward',
        'put_file',
        'start',
        'stop',
        'stop_forward',
      ].sort(),
    );
    const ajv = new AjvJsonSchemaValidator();
    for (const t of tools) {
      expect(t.description, t.name).toMatch(/^\S.{20,220}$/);
      expect(t.inputSchema.type).toBe('object');
      ajv.getValidator(t.inputSchema); // compiles, or throws
      if (t.outputSchema) ajv.getValidator(t.outputSchema);
      expect(typeof t.annotations?.readOnlyHint, t.name).toBe('boolean');
      expect(typeof t.annotations?.idempotentHint, t.name).toBe('boolean');
    }
    const exec = tools.find((t) => t.name === 'exec')!;
    const check = ajv.getValidator(exec.inputSchema);
    expect(check({ command: 'true' }).valid).toBe(true);
    expect(check({ cwd: '/' }).valid).toBe(false);
    expect(tools.find((t) => t.name === 'stop')!.annotations?.destructiveHint).toBe(true);
    expect(tools.find((t) => t.name === 'list_workspaces')!.annotations?.readOnlyHint).toBe(true);
  });

  it('answers bad input before connecting with a tool error an agent can act on', async () => {
    expectError(await call('exec', { command: 'true' }), /no workspace is attached: call connect/);
    expectError(await call('connect', { name: 'nope' }), /no workspace named "nope" \(yours: api, web\)/);
    expectError(await call('connect', { name: 'Bad Name;rm' }), /not a valid workspace name/);
    expectError(await call('connect', { name: 'api' }), /^api is stopped; call connect with start: true$/);
    expectError(await call('exec', { command: 'true', workspace: '../x' }), /not a valid workspace name/);
  });

  it('offers runcode://workspaces as a resource a client can subscribe to', async () => {
    mcp.client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
      if (n.params.uri === 'runcode://workspaces') resourceUpdates++;
    });
    await mcp.client.subscribeResource({ uri: 'runcode://workspaces' });
    const r = await mcp.client.readResource({ uri: 'runcode://workspaces' });
    const list = JSON.parse((r.contents[0] as { text: string }).text) as {
      name: string;
      connected: boolean;
    }[];
    expect(list.map((w) => [w.name, w.connected])).toEqual([
      ['api', false],
      ['web', false],
    ]);
  });

  it('connects with start, waiting until SSH answers, with progress, and attaches', async () => {
    const said: string[] = [];
    const r = await call('connect', { name: 'api', start: true }, (m) => said.push(m));
    expect(r.isError, text(r)).toBeFalsy();
    expect(text(r)).toMatch(/connected to api and attached it/);
    expect(said.join('\n')).toMatch(/waiting for SSH to answer/);
    await waitFor(() => resourceUpdates > 0, 'a resources/updated notification');
    const list = (await call('list_workspaces')).structuredContent as {
      workspaces: { name: string; state: string; connected: boolean; attached: boolean }[];
    };
    expect(list.workspaces.find((w) => w.name === 'api')).toMatchObject({
      state: 'running',
      connected: true,
      attached: true,
    });
    // The same attached.json and connections.json as the CLI and the tray.
    expect(await readAttached(b.stateDir)).toBe('api');
    const cli = JSON.parse((await b.run(['list', '--json'])).stdout) as {
      name: string;
      connected: boolean;
    }[];
    expect(cli.find((w) => w.name === 'api')?.connected).toBe(true);
  });

  it('runs commands: output, exit codes, stdin, cwd', async () => {
    const ok = await call('exec', { command: 'echo hello from $(basename "$PWD")' });
    expect(ok.isError).toBeFalsy();
    expect(text(ok)).toBe('exit code 0\n[stdout]\nhello from api\n');
    expect(ok.structuredContent).toMatchObject({ exitCode: 0, stdoutBytes: 15, stderrBytes: 0, cutBytes: 0 });

    const bad = await call('exec', { command: 'echo oops >&2; exit 3' });
    expect(bad.isError).toBeFalsy();
    expect(bad.structuredContent).toMatchObject({ exitCode: 3 });
    expect(text(bad)).toBe('exit code 3\n[stderr]\noops\n');

    const cat = await call('exec', { command: 'wc -c', stdin: 'abc\n' });
    expect(text(cat)).toMatch(/^exit code 0\n\[stdout\]\n\s*4\n$/);

    fs.mkdirSync(path.join(apiDir, 'sub dir'), { recursive: true });
    const pwd = await call('exec', { command: 'pwd', cwd: 'sub dir', workspace: 'api' });
    expect(text(pwd)).toMatch(/\/api\/sub dir\n$/);
  });

  it('caps a 2 MiB output at 256 KiB, saying how much was cut', async () => {
    const r = await call('exec', { command: "head -c 2097152 /dev/zero | tr '\\0' a; echo; echo THE-END" });
    expect(r.isError).toBeFalsy();
    const s = r.structuredContent as { stdoutBytes: number; cutBytes: number };
    expect(s.stdoutBytes).toBe(2097152 + 1 + 8);
    expect(s.cutBytes).toBe(s.stdoutBytes - 256 * 1024);
    const t = text(r);
    expect(t).toContain(`[... ${s.cutBytes} bytes cut`);
    expect(t).toMatch(/THE-END\n$/); // the end is kept
    expect(t.length).toBeLessThan(256 * 1024 + 500);
  });

  it('stops a command that outlives its timeout, and the next call works', async () => {
    const pidFile = path.join(apiDir, 'sleeper.pid');
    const r = await call('exec', {
      command: 'echo $$ > sleeper.pid; echo started; exec sleep 300',
      timeout_s: 2,
    });
    expectError(r, /ran past its 2 s timeout and was stopped/);
    expect(text(r)).toContain('started');
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    await waitFor(() => !alive(pid), `pid ${pid} to be killed`);
    expect(text(await call('exec', { command: 'echo still here' }))).toContain('still here');
  });

  it('puts and gets a binary file byte-exactly, inline and by path', async () => {
    requireTool('sftp-server');
    const bytes = crypto.randomBytes(300 * 1024);
    const put = await call('put_file', { path: 'blob.bin', content_base64: bytes.toString('base64') });
    expect(put.isError, text(put)).toBeFalsy();
    expect(sha256(fs.readFileSync(path.join(apiDir, 'blob.bin')))).toBe(sha256(bytes));
    const got = await call('get_file', { path: 'blob.bin' });
    expect(got.structuredContent).toMatchObject({ encoding: 'base64', bytes: bytes.length });
    expect(sha256(Buffer.from(text(got), 'base64'))).toBe(sha256(bytes));

    const local = b.path('local.bin');
    fs.writeFileSync(local, bytes.subarray(0, 100_000));
    expect((await call('put_file', { path: 'by-path.bin', local_path: local })).isError).toBeFalsy();
    const back = b.path('back.bin');
    expect((await call('get_file', { path: 'by-path.bin', local_path: back })).isError).toBeFalsy();
    expect(sha256(fs.readFileSync(back))).toBe(sha256(bytes.subarray(0, 100_000)));

    const t = await call('put_file', { path: 'notes.txt', content: 'héllo\n' });
    expect(t.isError).toBeFalsy();
    expect(text(await call('get_file', { path: 'notes.txt' }))).toBe('héllo\n');

    expectError(
      await call('put_file', { path: 'notes.txt', content: 'x' }),
      /already exists; pass overwrite: true/,
    );
    expectError(await call('get_file', { path: 'nope.txt' }), /nope.txt is not a file in the workspace/);
    expectError(
      await call('get_file', { path: 'notes.txt', local_path: 'rel/out.txt' }),
      /local_path must be an absolute path/,
    );
    expectError(
      await call('put_file', { path: 'x', content: 'a', content_base64: 'YQ==' }),
      /exactly one of/,
    );
    expectError(
      await call('put_file', { path: 'big.txt', content: 'a'.repeat(4 * 1024 * 1024 + 1) }),
      /is 4\.2 MB, over the 4\.2 MB limit; pass local_path/,
    );
  });

  it('forwards a port to a local URL an HTTP client can fetch, until stop_forward', async () => {
    const list = (await call('list_workspaces')).structuredContent as {
      workspaces: { name: string; ports: { port: number }[] }[];
    };
    const port = list.workspaces.find((w) => w.name === 'api')!.ports[0]!.port;
    const r = await call('port_forward', { port });
    expect(r.isError, text(r)).toBeFalsy();
    const { url } = r.structuredContent as { url: string };
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(await fetchText(url)).toContain('Hello from the <code>api</code> workspace');
    const again = (await call('list_workspaces')).structuredContent as {
      workspaces: { name: string; forwards: { port: number; url: string }[] }[];
    };
    expect(again.workspaces.find((w) => w.name === 'api')!.forwards).toEqual([
      expect.objectContaining({ port, url }),
    ]);
    expectError(
      await call('port_forward', { port: 70000 }),
      /'70000' is not PORT or PORT:LOCAL \(ports 1-65535\)/,
    );
    expectError(await call('port_forward', { port: 0 }), /ports 1-65535/);
    expectError(await call('stop_forward', { port: port + 1 }), /no forward of api:/);
    expect((await call('stop_forward', { port })).isError).toBeFalsy();
    await expect(fetchText(url)).rejects.toThrow();
  });

  it('never puts the token or a private key in a result or on stderr', () => {
    const secrets: string[] = [];
    const secretsDir = path.join(b.stateDir, 'secrets');
    if (fs.existsSync(secretsDir))
      for (const f of fs.readdirSync(secretsDir))
        secrets.push(fs.readFileSync(path.join(secretsDir, f), 'utf8').trim());
    const keysDir = path.join(b.stateDir, 'keys');
    for (const f of fs.readdirSync(keysDir)) {
      const body = fs.readFileSync(path.join(keysDir, f), 'utf8');
      if (body.includes('PRIVATE KEY'))
        secrets.push(
          body
            .split('\n')
            .filter((l) => l && !l.startsWith('-----'))
            .join(''),
        );
    }
    expect(
      secrets.filter((s) => s.length > 20).length,
      'a token and a private key to look for',
    ).toBeGreaterThanOrEqual(2);
    const haystack = seen.join('\n') + mcp.stderr();
    for (const s of secrets) {
      expect(haystack.includes(s)).toBe(false);
      expect(haystack.includes(s.slice(0, 24))).toBe(false);
    }
  });

  it('ends a running command and exits when the client goes away', async () => {
    const other = await openMcpSession(b.env);
    const pidFile = path.join(apiDir, 'orphan.pid');
    fs.rmSync(pidFile, { force: true });
    const running = other
      .call('exec', { command: 'echo $$ > orphan.pid; exec sleep 300', workspace: 'api' })
      .catch((e: unknown) => e);
    await waitFor(
      () => fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').trim() !== '',
      'the command to start',
    );
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    const serverPid = other.pid()!;
    await other.close();
    await running;
    await waitFor(() => !alive(pid), `the command (pid ${pid}) to end`);
    await waitFor(() => !alive(serverPid), `runcode mcp (pid ${serverPid}) to exit`);
  });

  it('stops the workspace; exec then says how to go on', async () => {
    const r = await call('stop', { name: 'api' });
    expect(r.isError, text(r)).toBeFalsy();
    expect(text(r)).toMatch(/^api is (stopping|stopped)$/);
    expectError(await call('stop', { name: 'nope' }), /no workspace named "nope"/);
    expectError(
      await call('exec', { command: 'true' }),
      /^api is (stopping|stopped); call connect with start: true$/,
    );
  });

  it('says "not signed in" to an agent on a machine that is not', async () => {
    const fresh = new CliSandbox('runcode-mcp-out-');
    const out = await openMcpSession(fresh.env);
    try {
      for (const [tool, args] of [
        ['list_workspaces', {}],
        ['connect', { name: 'api' }],
        ['exec', { command: 'true', workspace: 'api' }],
      ] as const) {
        const r = await out.call(tool, args);
        expectError(r, /not signed in; run `runcode login`/);
      }
    } finally {
      await out.close();
      await fresh.dispose();
    }
  });
});
