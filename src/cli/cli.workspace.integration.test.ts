// The workspace commands end to end (issue 4, "CLI"): exec, put/get, port-forward, open and ssh
// against a real `runcode server`, through the real OpenSSH client where one is run. Every temp
// path (the server's data dir, so the workspace's workdir, and the sandbox's HOME and state dir)
// has spaces in it, as macOS's "Application Support" does.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requireTool } from '../core/testing/requireTool.js';
import type { Workspace } from '../shared/protocol.js';
import { runProcess } from '../server/testing/runProcess.js';
import type { CliSandbox, CliServer } from './testing/cliSandbox.js';
import { BIN } from './testing/cliSandbox.js';
import { startCliWorld, stopCliWorld } from './testing/cliWorld.js';
import { fetchText } from '../core/testing/fetchText.js';

let server: CliServer;
let b: CliSandbox;
let spaced: string;
let savedTmp: string | undefined;
let api: Workspace & { connected: boolean };

beforeAll(async () => {
  savedTmp = process.env.TMPDIR;
  spaced = fs.mkdtempSync(path.join(os.tmpdir(), 'rc cli ws '));
  process.env.TMPDIR = spaced;
  ({ server, b } = await startCliWorld({ label: 'runcode cli ' }));
  expect((await b.run(['start', 'api', '--wait'])).code).toBe(0);
  api = (JSON.parse((await b.run(['list', '--json'])).stdout) as (typeof api)[]).find(
    (w) => w.name === 'api',
  )!;
});
afterAll(async () => {
  await stopCliWorld({ b, server });
  if (savedTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmp;
  fs.rmSync(spaced, { recursive: true, force: true });
});

/** `runcode ARGS` from `cwd`, with optional stdin. */
const runIn = (cwd: string, args: string[], input?: string) =>
  runProcess(process.execPath, [BIN, ...args], {
    env: b.env,
    cwd,
    timeoutMs: 30_000,
    ...(input ? { input } : {}),
  });

const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

async function waitFor(ok: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.concurrent('usage errors exit 2', () => {
  it.each([
    [['port-forward', 'api']],
    [['port-forward', 'api', '0']],
    [['port-forward', 'api', '80:70000']],
    [['exec', 'api']],
    [['exec', '--', 'true']],
    [['open', 'api', '--editor', 'notepad']],
    [['put']],
    [['put', 'a', 'b', 'c']],
    [['get', 'a', 'b']],
    [['get', 'a', '--out']],
    [['start', 'api', '--timeout', 'abc']],
    [['connect', 'api', '--timeout', '-5']],
    [['stop', '-w']],
    [['ssh', 'Not A Name']],
    [['ssh', '-oProxyCommand=touch pwned']],
  ])('runcode %j', async (args) => {
    const r = await b.run(args);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(new RegExp(`^runcode ${args[0]}: `));
  });
});

describe.sequential('exec', () => {
  it('connects the workspace first, streams both outputs and returns the exit code', async () => {
    const r = await b.run(['exec', 'api', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    expect(r.stderr).toMatch(/^api is not connected; connecting it\.\.\.$/m);
    expect(r.stderr).toMatch(/^err$/m);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 3, stdout: 'out\n' });
    const again = await b.run(['exec', 'api', '--', 'true']);
    expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: '' });
    // With one workspace connected, the name may be left out (as agents call it).
    const unnamed = await b.run(['exec', '--', 'sh', '-c', 'exit 4']);
    expect(unnamed.code).toBe(4);
  });

  it('runs in the workdir, passes each argument as it is and forwards piped stdin', async () => {
    expect((await b.run(['exec', 'api', '--', 'pwd'])).stdout).toBe(`${fs.realpathSync(api.workdir)}\n`);
    const args = await b.run(['exec', 'api', '--', 'printf', '%s|', 'a b', "it's", '$HOME', '']);
    expect(args.stdout).toBe("a b|it's|$HOME||");
    const wc = await runIn(b.root, ['exec', 'api', '--', 'wc', '-c'], 'hello');
    expect({ code: wc.code, stdout: wc.stdout.trim() }).toEqual({ code: 0, stdout: '5' });
  });

  it('a command ended by a signal exits 128+N, as a shell reports it', async () => {
    const r = await b.run(['exec', 'api', '--', 'sh', '-c', 'kill -TERM $$']);
    expect(r.code).toBe(128 + os.constants.signals.SIGTERM);
  });

  it('Ctrl-C ends the remote command and exits 130', async () => {
    // Longer than the test's timeout: a CLI that waited for the command would fail the test.
    const ex = b.spawn(['exec', 'api', '--', 'sh', '-c', 'echo started; sleep 300']);
    await waitFor(() => ex.stdout() === 'started\n');
    ex.child.kill('SIGINT');
    const r = await ex.result();
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 130, signal: null });
  });

  it('a reader that stops early (`| head`) ends the command quietly, 141 like SIGPIPE', async () => {
    const script = `"${process.execPath}" "${BIN}" exec api -- sh -c 'while :; do echo y; done' | head -c 4; echo " \${PIPESTATUS[0]}"`;
    const r = await runProcess('bash', ['-c', script], { env: b.env, timeoutMs: 20_000 });
    expect({ stdout: r.stdout, stderr: r.stderr }).toEqual({ stdout: 'y\ny\n 141\n', stderr: '' });
  });

  it('a pass with under 5 minutes left is renewed first', async () => {
    const file = path.join(b.stateDir, 'connections.json');
    const state = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      connections: { name: string; publicKey: string; pass: { expiresAt: string } }[];
    };
    const old = state.connections.find((c) => c.name === 'api')!;
    old.pass.expiresAt = new Date(Date.now() + 60_000).toISOString();
    fs.writeFileSync(file, JSON.stringify(state));
    const r = await b.run(['exec', 'api', '--', 'echo', 'ok']);
    expect(r.stderr).toMatch(/^api: the pass has under 5 minutes left; connecting again\.\.\.$/m);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: 'ok\n' });
    const after = (JSON.parse(fs.readFileSync(file, 'utf8')) as typeof state).connections.find(
      (c) => c.name === 'api',
    )!;
    expect(Date.parse(after.pass.expiresAt) - Date.now()).toBeGreaterThan(5 * 60_000);
  });

  it('an unknown workspace is one line and exit 1', async () => {
    const r = await b.run(['exec', 'nope', '--', 'true']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({
      code: 1,
      stderr: expect.stringMatching(/^runcode: no workspace named "nope" \(yours: api, web\)\n$/),
    });
  });
});

describe.sequential('put and get', () => {
  beforeEach(() => requireTool('sftp-server'));
  const local = () => b.path('big file.bin');

  it('put then get of 50 MB gives the same sha256, mode kept', async () => {
    fs.writeFileSync(local(), crypto.randomBytes(50 * 1024 * 1024), { mode: 0o640 });
    fs.chmodSync(local(), 0o640);
    const put = await b.run(['put', local(), 'big.bin', '-w', 'api']);
    expect(put.stderr).toMatch(/^uploaded 52\.4 MB to api:.*\/big\.bin$/m);
    expect({ code: put.code, stdout: put.stdout }).toEqual({ code: 0, stdout: `${api.workdir}/big.bin\n` });
    expect(sha256(path.join(api.workdir, 'big.bin'))).toBe(sha256(local()));
    expect((fs.statSync(path.join(api.workdir, 'big.bin')).mode & 0o777).toString(8)).toBe('640');

    // LOCAL defaults to the remote name in the current directory.
    const cwd = fs.mkdtempSync(path.join(b.root, 'get here '));
    const get = await runIn(cwd, ['get', 'big.bin']);
    expect({ code: get.code, stdout: get.stdout }).toEqual({
      code: 0,
      stdout: `${path.join(cwd, 'big.bin')}\n`,
    });
    expect(sha256(path.join(cwd, 'big.bin'))).toBe(sha256(local()));
    expect((fs.statSync(path.join(cwd, 'big.bin')).mode & 0o777).toString(8)).toBe('640');
  });

  it('refuses to overwrite without --force, on either side', async () => {
    const before = sha256(local());
    fs.writeFileSync(b.path('small.txt'), 'new contents\n');
    const put = await b.run(['put', b.path('small.txt'), 'big.bin']);
    expect({ code: put.code, stdout: put.stdout }).toEqual({ code: 1, stdout: '' });
    expect(put.stderr).toMatch(
      /^runcode: .*big\.bin in the workspace already exists; use --force to replace it$/m,
    );
    expect(sha256(path.join(api.workdir, 'big.bin'))).toBe(before);

    const get = await b.run(['get', 'big.bin', '--out', b.path('small.txt')]);
    expect(get.code).toBe(1);
    expect(get.stderr).toMatch(/already exists; use --force to replace it$/m);
    expect(fs.readFileSync(b.path('small.txt'), 'utf8')).toBe('new contents\n');

    expect((await b.run(['put', b.path('small.txt'), 'big.bin', '--force'])).code).toBe(0);
    expect(fs.readFileSync(path.join(api.workdir, 'big.bin'), 'utf8')).toBe('new contents\n');
    expect((await b.run(['get', `${api.workdir}/big.bin`, '--out', local(), '--force'])).code).toBe(0);
    expect(fs.readFileSync(local(), 'utf8')).toBe('new contents\n');
  });

  it('a missing remote file is one line and exit 1', async () => {
    const r = await b.run(['get', 'no-such-file']);
    expect({ code: r.code, stderr: r.stderr }).toEqual({
      code: 1,
      stderr: expect.stringMatching(/^runcode: .*no-such-file is not a file in the workspace\n$/),
    });
  });
});

describe('port-forward', () => {
  it('prints the URL, the demo page comes through it, SIGINT exits 0', async () => {
    const port = api.ports[0]!.port;
    // The demo service itself listens on this machine's 127.0.0.1:PORT, so that local port is
    // taken and the forward says which one it uses instead.
    const pf = b.spawn(['port-forward', String(port)]);
    await pf.waitForStderr(/^forwarding; Ctrl-C stops$/m);
    const m = /^http:\/\/127\.0\.0\.1:(\d+) -> api:(\d+)(.*)$/m.exec(pf.stdout());
    expect(m, pf.stdout()).not.toBeNull();
    const local = Number(m![1]);
    expect({ remote: Number(m![2]), note: m![3] }).toEqual({
      remote: port,
      note: local === port ? '' : ` (${port} is taken)`,
    });
    expect(await fetchText(`http://127.0.0.1:${local}/`)).toBe(
      fs.readFileSync(path.join(api.workdir, 'public', 'index.html'), 'utf8'),
    );
    await pf.waitForStderr(new RegExp(`^api:${port}: active$`, 'm'));
    pf.child.kill('SIGINT');
    const r = await pf.result();
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 0, signal: null });
    expect(r.stderr).toMatch(/^stopping\.\.\.$/m);
    await expect(fetchText(`http://127.0.0.1:${local}/`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('PORT:LOCAL listens where asked; SIGTERM also exits 0', async () => {
    const port = api.ports[0]!.port;
    const free = await new Promise<number>((resolve) => {
      const s = http.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const pf = b.spawn(['port-forward', `${port}:${free}`, '-w', 'api']);
    await pf.waitForStderr(/^forwarding; Ctrl-C stops$/m);
    expect(pf.stdout()).toBe(`http://127.0.0.1:${free} -> api:${port}\n`);
    expect(await fetchText(`http://127.0.0.1:${free}/`)).toMatch(/<html/i);
    pf.child.kill('SIGTERM');
    expect((await pf.result()).code).toBe(0);
  });
});

describe('open', () => {
  const rec = () =>
    (
      JSON.parse(fs.readFileSync(path.join(b.stateDir, 'connections.json'), 'utf8')) as {
        connections: { name: string; pass: { user: string; workdir: string } }[];
      }
    ).connections.find((c) => c.name === 'api')!.pass;

  it('--print prints the documented form for every editor', async () => {
    const { user, workdir } = rec();
    expect(workdir).toMatch(/ /);
    const enc = workdir.split('/').map(encodeURIComponent).join('/');
    const expected: Record<string, string> = {
      vscode: `vscode://vscode-remote/ssh-remote+runcode.api${enc}`,
      'vscode-insiders': `vscode-insiders://vscode-remote/ssh-remote+runcode.api${enc}`,
      cursor: `cursor://vscode-remote/ssh-remote+runcode.api${enc}`,
      windsurf: `windsurf://vscode-remote/ssh-remote+runcode.api${enc}`,
      zed: `zed://ssh/runcode.api${enc}`,
      'jetbrains-gateway': `jetbrains-gateway://connect#host=runcode.api&port=22&user=${user}&type=ssh&deploy=false&projectPath=${encodeURIComponent(workdir)}`,
      browser: api.webIdeUrl,
    };
    // No --editor: the browser IDE, as the product page says.
    const cases = [...Object.entries(expected), ['(default)', expected.browser!] as const];
    const runs = cases.map(async ([editor, want]) => {
      const r = await b.run([
        'open',
        'api',
        ...(editor === '(default)' ? [] : ['--editor', editor]),
        '--print',
      ]);
      return [
        { editor, code: r.code, stdout: r.stdout },
        { editor, code: 0, stdout: `${want}\n` },
      ];
    });
    for (const [got, want] of await Promise.all(runs)) expect(got).toEqual(want);
  });

  it('--print for the terminal prints the command that runs `ssh runcode.api`', async () => {
    const bin = fs.mkdtempSync(path.join(b.root, 'bin '));
    fs.writeFileSync(path.join(bin, 'xterm'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const env = { ...b.env, PATH: bin };
    const r = await runProcess(process.execPath, [BIN, 'open', 'api', '--editor', 'terminal', '--print'], {
      env,
    });
    // Through RunCode's own ssh config once connect writes one (no ~/.ssh/config needed).
    const own = path.join(b.stateDir, 'ssh_config');
    const F = fs.existsSync(own) ? ` -F '${own}'` : '';
    expect({ code: r.code, stdout: r.stdout }).toEqual({
      code: 0,
      stdout: `'${path.join(bin, 'xterm')}' -e ssh${F} runcode.api\n`,
    });
  });

  it.runIf(process.platform === 'linux')(
    'launching hands the URL to the OS opener as one argument',
    async () => {
      const bin = fs.mkdtempSync(path.join(b.root, 'bin '));
      const args = path.join(bin, 'args');
      fs.writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$#" "$1" > "${args}"\n`, {
        mode: 0o755,
      });
      const env = { ...b.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` };
      const r = await runProcess(process.execPath, [BIN, 'open', 'api', '--editor', 'zed'], { env });
      const want = `zed://ssh/runcode.api${rec().workdir.split('/').map(encodeURIComponent).join('/')}`;
      expect(r.code).toBe(0);
      expect(r.stderr).toBe(`opened api in Zed: ${want}\n`);
      expect(fs.readFileSync(args, 'utf8')).toBe(`1\n${want}\n`);
    },
  );
});

describe('ssh', () => {
  it('runs the system ssh through the entry, exit code passed through', async () => {
    const [hi, seven] = await Promise.all([
      b.run(['ssh', 'api', '--', 'echo', 'hi']),
      b.run(['ssh', 'api', '--', 'exit', '7']),
    ]);
    expect({ code: hi.code, stdout: hi.stdout }).toEqual({ code: 0, stdout: 'hi\n' });
    expect(seven.code).toBe(7);
  });
});
