// The product page (../shared/seed-connect-over-ssh.txt) is the contract: every command line on it
// is run here verbatim, in the page's order, against a real `runcode server`, and each one's
// effect is checked (issue 10, "Done when"). What is adapted, and why:
// - The workspace is `my-workspace`, seeded in the server's workspaces.json, with a dev server on
//   5173 (the page's `port-forward 5173`), `src/` and `logs/app.log` in its workdir.
// - The page's `git clone runcode.my-workspace:/home/ubuntu/workspace/app.git`: the local server's
//   workdir is a directory under its data dir, so the bare repo is `<workdir>/app.git` (same line,
//   that path).
// - `pytest` on the workspace is a stand-in script on the server's PATH (pytest may not be
//   installed); it prints its arguments and directory, so the test sees the command really ran.
// - The browser: `xdg-open`/`open` on PATH are stand-ins that record the URL they were given; for
//   `login` the test then acts as the browser (fakeBrowser.ts).
// - OpenSSH finds ~/.ssh/config through the passwd entry, not $HOME, so the page's `ssh` and `git`
//   lines get `-F "$HOME/.ssh/config"` (DESIGN.md, "Testing on these machines").
// - `code --remote ssh-remote+runcode.my-workspace ...` needs VS Code; in its place, `ssh -G` of the
//   alias through ~/.ssh/config (what Remote-SSH resolves) is checked.
// HOME and RUNCODE_HOME are temporary; RUNCODE_SSH_CONFIG is unset, so ~/.ssh/config is $HOME's.
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browse } from '../core/testing/fakeBrowser.js';
import { requireTool } from '../core/testing/requireTool.js';
import { runProcess } from '../server/testing/runProcess.js';
import type { CliServer } from './testing/cliSandbox.js';
import { BIN, CliSandbox, requireBuiltCli, startCliServer } from './testing/cliSandbox.js';
import { fetchText } from '../core/testing/fetchText.js';

const WS = 'my-workspace';
const DEV_PORT = 5173;
// A user's own ssh config, which nothing but the opt-in `config-ssh` may change.
const USER_CONFIG = '# mine\nHost build\n  HostName build.example.com\n  User me\n';

let server: CliServer;
let b: CliSandbox;
let workdir: string;
let here: string; // the user's current directory
let opened: string; // what the browser stand-in was asked to open, one URL a line
let devPortFree = true;

/** `runcode ARGS` as typed in `here`. */
const runcode = (args: string[], o: { input?: string; timeoutMs?: number } = {}) =>
  runProcess(process.execPath, [BIN, ...args], {
    env: b.env,
    cwd: here,
    timeoutMs: o.timeoutMs ?? 60_000,
    ...(o.input ? { input: o.input } : {}),
  });

const userConfig = () => fs.readFileSync(b.sshConfig, 'utf8');
const sshF = () => ['-F', b.sshConfig, '-o', 'BatchMode=yes'];
const sha256 = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

async function waitFor<T>(get: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const isFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

const DEV_PAGE = '<!doctype html><title>dev server</title><h1>my-workspace on 5173</h1>\n';

beforeAll(async () => {
  requireBuiltCli();
  devPortFree = await isFree(DEV_PORT);
  b = new CliSandbox('runcode page ');
  here = b.path('project');
  fs.mkdirSync(here);
  opened = b.path('opened.txt');
  // The browser stand-in: records the URL it was given, as the OS opener would get it.
  const bin = b.path('bin');
  fs.mkdirSync(bin);
  for (const opener of ['xdg-open', 'open']) {
    fs.writeFileSync(path.join(bin, opener), `#!/bin/sh\nprintf '%s\\n' "$1" >> '${opened}'\n`, {
      mode: 0o755,
    });
  }
  // pytest on the workspace: shows it ran, where, with which arguments.
  const wsBin = b.path('ws-bin');
  fs.mkdirSync(wsBin);
  fs.writeFileSync(
    path.join(wsBin, 'pytest'),
    '#!/bin/sh\necho "pytest-stand-in $* in $(pwd)"\necho "3 passed in 0.01s"\nexit 0\n',
    { mode: 0o755 },
  );
  const serverHome = b.path('server-home');
  fs.mkdirSync(serverHome);
  server = await startCliServer({
    autoApprove: true,
    bootDelayMs: 1000,
    // Its own HOME: bash started for an SSH command reads ~/.bashrc (Debian's SSH_SOURCE_BASHRC),
    // and a developer's one may put another PATH in front of the stand-in.
    env: { ...process.env, HOME: serverHome, PATH: `${wsBin}${path.delimiter}${process.env.PATH ?? ''}` },
    workspaces: {
      workspaces: [
        {
          name: WS,
          ports: [{ port: DEV_PORT, label: 'dev server' }],
          // Without 5173 free on this machine the dev server could not start; the forward step
          // then says so and is skipped, the rest runs.
          services: devPortFree ? [{ type: 'static-http', port: DEV_PORT, dir: 'public' }] : [],
        },
      ],
    },
  });
  workdir = path.join(server.dataDir, 'workspaces', WS);
  fs.mkdirSync(path.join(workdir, 'public'), { recursive: true });
  fs.writeFileSync(path.join(workdir, 'public', 'index.html'), DEV_PAGE);
  fs.mkdirSync(path.join(workdir, 'src'));
  fs.mkdirSync(path.join(workdir, 'logs'));
  fs.writeFileSync(path.join(workdir, 'logs', 'app.log'), 'GET / 200\nGET /api 500\n');

  fs.writeFileSync(b.sshConfig, USER_CONFIG, { mode: 0o600 });
  delete b.env.RUNCODE_SSH_CONFIG; // ~/.ssh/config is the one under $HOME, as for a user
  b.env.PATH = `${bin}${path.delimiter}${process.env.PATH ?? ''}`;
  // `runcode login` with no flags: the endpoint (and this server's CA) from the environment.
  b.env.RUNCODE_ENDPOINT = server.endpoint;
  b.env.RUNCODE_CA = server.caFile;
}, 60_000);

afterAll(async () => {
  await b?.dispose();
  await server?.close();
});

describe.sequential('the product page, line by line', () => {
  it('runcode doctor: the OpenSSH client is there, and what is missing is the sign-in', async () => {
    const r = await runcode(['doctor']);
    expect(r.stdout).toMatch(/^ok\s+OpenSSH client: /m);
    // Before `runcode login` nothing else can pass yet; whatever fails says to log in.
    for (const line of r.stdout.split('\n').filter((l) => l.startsWith('FAIL')))
      expect(line).toMatch(/sign|log ?in|token|endpoint|control plane/i);
  });

  it('runcode login: opens the browser once, saves a token', async () => {
    const login = b.spawn(['login']);
    try {
      const url = await waitFor(
        () => (fs.existsSync(opened) ? fs.readFileSync(opened, 'utf8').trim() || undefined : undefined),
        'the browser to be opened',
      );
      expect(url).toMatch(new RegExp(`^${server.endpoint}/oauth/authorize\\?`));
      await browse(server, url);
      const r = await login.result();
      expect(r.stdout).toMatch(new RegExp(`^Signed in to ${server.endpoint} as `));
      expect(r.code).toBe(0);
    } finally {
      await login.stop();
    }
    fs.rmSync(opened);
    const settings = JSON.parse(fs.readFileSync(path.join(b.stateDir, 'settings.json'), 'utf8')) as {
      endpoint?: string;
    };
    expect(settings.endpoint).toBe(server.endpoint);
  });

  it('(setup, not a page line: the page assumes a running workspace)', async () => {
    expect((await runcode(['start', WS])).stdout).toBe(`${WS}: running\n`);
  });

  it('runcode list: your workspaces (running = connectable)', async () => {
    const r = await runcode(['list']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${WS}\\s+running\\s+-\\s+${DEV_PORT} \\(dev server\\)$`, 'm'));
  });

  it('runcode connect my-workspace: attaches it', async () => {
    const r = await runcode(['connect', WS]);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: `ssh runcode.${WS}\n` });
    expect(JSON.parse(fs.readFileSync(path.join(b.stateDir, 'attached.json'), 'utf8'))).toEqual({
      version: 1,
      name: WS,
    });
  });

  it('runcode exec -- pytest -q: runs on the attached workspace, in its workdir', async () => {
    const r = await runcode(['exec', '--', 'pytest', '-q']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`pytest-stand-in -q in ${fs.realpathSync(workdir)}\n3 passed in 0.01s\n`);
    // The exit code is the command's own.
    expect((await runcode(['exec', '--', 'sh', '-c', 'exit 5'])).code).toBe(5);
  });

  it('~/.ssh/config is byte-identical after connect and exec (no opt-in)', () => {
    expect(userConfig()).toBe(USER_CONFIG);
    // RunCode's own ssh config holds the host instead.
    expect(fs.readFileSync(path.join(b.stateDir, 'ssh_config'), 'utf8')).toMatch(
      new RegExp(`^Host runcode\\.${WS}$`, 'm'),
    );
  });

  it("runcode ssh my-workspace -- CMD: through RunCode's own ssh config, nothing in ~/.ssh/config", async () => {
    const r = await runcode(['ssh', WS, '--', 'echo', 'own-config']);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: 'own-config\n' });
    // Even with no ~/.ssh/config at all.
    fs.rmSync(b.sshConfig);
    try {
      const bare = await runcode(['ssh', '--', 'echo', 'no-user-config']);
      expect({ code: bare.code, stdout: bare.stdout }).toEqual({ code: 0, stdout: 'no-user-config\n' });
    } finally {
      fs.writeFileSync(b.sshConfig, USER_CONFIG, { mode: 0o600 });
    }
  });

  it('runcode connect my-workspace --start --wait: boots a stopped box, returns once SSH answers', async () => {
    // Setup: the workspace stopped (the page's "Workspace stopped?").
    expect((await runcode(['stop'])).stdout).toBe(`${WS}: stopped\n`);
    // The misleading errors of old: a stopped workspace is said to be stopped, with the fix.
    const ex = await runcode(['exec', '--', 'true']);
    expect({ code: ex.code, stderr: ex.stderr }).toEqual({
      code: 1,
      stderr: `runcode: ${WS} is stopped; start it with \`runcode start ${WS}\` (or \`runcode connect ${WS} --start\`)\n`,
    });
    const ssh = await runcode(['ssh', WS, '--', 'true']);
    expect(ssh.code).toBe(255);
    expect(ssh.stderr).toMatch(new RegExp(`^runcode: ${WS} is stopped; start it with`, 'm'));

    const r = await runcode(['connect', WS, '--start', '--wait']);
    expect(r.stderr).toMatch(/waiting for SSH to answer/);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: `ssh runcode.${WS}\n` });
    // SSH answers at once.
    const echo = await runcode(['exec', '--', 'echo', 'up']);
    expect({ code: echo.code, stdout: echo.stdout }).toEqual({ code: 0, stdout: 'up\n' });
  });

  it('runcode config-ssh: writes ~/.ssh/config host entries', async () => {
    const r = await runcode(['config-ssh']);
    expect(r.code).toBe(0);
    const text = userConfig();
    expect(text).toMatch(new RegExp(`^Host runcode\\.${WS}$`, 'm'));
    // The user's own lines are all still there, byte for byte.
    expect(text.endsWith(USER_CONFIG)).toBe(true);
  });

  it('ssh runcode.my-workspace: a shell on the box', async () => {
    const r = await runProcess('ssh', [...sshF(), `runcode.${WS}`], {
      env: b.env,
      input: 'echo "hello from $(pwd)"\nexit 3\n',
      timeoutMs: 30_000,
    });
    expect(r.stdout).toContain(`hello from ${fs.realpathSync(workdir)}\n`);
    expect(r.code).toBe(3);
  });

  it('git clone runcode.my-workspace:<workdir>/app.git', async () => {
    const git = (args: string[], cwd = b.root) =>
      runProcess('git', args, {
        env: { ...b.env, GIT_SSH_COMMAND: b.gitSshCommand, GIT_TERMINAL_PROMPT: '0' },
        cwd,
        timeoutMs: 30_000,
      });
    const seed = b.path('seed');
    expect((await git(['init', '-q', '-b', 'main', seed])).code).toBe(0);
    fs.writeFileSync(path.join(seed, 'README.md'), '# app\n');
    const id = ['-c', 'user.name=t', '-c', 'user.email=t@example.com'];
    expect((await git([...id, 'add', '.'], seed)).code).toBe(0);
    expect((await git([...id, 'commit', '-qm', 'first'], seed)).code).toBe(0);
    expect((await git(['clone', '-q', '--bare', seed, path.join(workdir, 'app.git')])).code).toBe(0);

    const r = await git(['clone', `runcode.${WS}:${workdir}/app.git`], here);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(here, 'app', 'README.md'), 'utf8')).toBe('# app\n');
  });

  it('code --remote ssh-remote+runcode.my-workspace: (no VS Code here) the alias resolves through ~/.ssh/config', async () => {
    const r = await runProcess('ssh', [...sshF(), '-G', `runcode.${WS}`], { env: b.env });
    expect(r.code).toBe(0);
    const gateway = new URL(`ssh://${server.gateway}`);
    expect(r.stdout).toMatch(new RegExp(`^hostname ${gateway.hostname}$`, 'm'));
    expect(r.stdout).toMatch(new RegExp(`^port ${gateway.port}$`, 'm'));
    expect(r.stdout).toMatch(/^identitiesonly yes$/m);
  });

  it('runcode config-ssh --remove: takes the entries back out, byte-exact', async () => {
    const r = await runcode(['config-ssh', '--remove']);
    expect(r.code).toBe(0);
    expect(userConfig()).toBe(USER_CONFIG);
  });

  it('runcode put ./local.py src/app.py: lands at <workdir>/src/app.py', async () => {
    requireTool('sftp-server');
    fs.writeFileSync(path.join(here, 'local.py'), 'print("hello")\n'.repeat(1000));
    const r = await runcode(['put', './local.py', 'src/app.py']);
    expect(r.code).toBe(0);
    expect(sha256(path.join(workdir, 'src', 'app.py'))).toBe(sha256(path.join(here, 'local.py')));
    expect(r.stdout).toBe(`${path.join(workdir, 'src', 'app.py')}\n`);
    // Into a directory that is not there: the error names that directory.
    const missing = await runcode(['put', './local.py', 'lib/app.py']);
    expect({ code: missing.code, stderr: missing.stderr }).toEqual({
      code: 1,
      stderr: `runcode: the directory ${path.join(workdir, 'lib')} does not exist in the workspace\n`,
    });
  });

  it('runcode get logs/app.log --out .: ./app.log', async () => {
    requireTool('sftp-server');
    const r = await runcode(['get', 'logs/app.log', '--out', '.']);
    expect(r.code).toBe(0);
    expect(fs.readFileSync(path.join(here, 'app.log'), 'utf8')).toBe('GET / 200\nGET /api 500\n');
  });

  it('runcode port-forward 5173: the workspace dev server, locally', async ({ skip }) => {
    skip(
      !devPortFree,
      `port ${DEV_PORT} is taken on this machine, so the workspace's dev server cannot listen there`,
    );
    const pf = b.spawn(['port-forward', String(DEV_PORT)]);
    try {
      await pf.waitForStderr(/^forwarding; Ctrl-C stops$/m, 30_000);
      // The dev server itself holds this machine's 5173 (the workspace is local), so the
      // forward takes the next free port and says so.
      const m = new RegExp(`^http://127\\.0\\.0\\.1:(\\d+) -> ${WS}:${DEV_PORT}`, 'm').exec(pf.stdout());
      expect(m, pf.stdout()).not.toBeNull();
      expect(await fetchText(`http://127.0.0.1:${m![1]}/`)).toBe(DEV_PAGE);
    } finally {
      pf.child.kill('SIGINT');
      expect((await pf.result()).code).toBe(0);
    }
  });
  it('runcode stop: powers the attached workspace down', async () => {
    const r = await runcode(['stop']);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: `${WS}: stopped\n` });
    expect((await runcode(['list'])).stdout).toMatch(new RegExp(`^${WS}\\s+stopped\\s`, 'm'));
  });

  it('runcode disconnect: detaches', async () => {
    const r = await runcode(['disconnect']);
    expect({ code: r.code, stdout: r.stdout }).toEqual({
      code: 0,
      stdout: `${WS}: disconnected and detached\n`,
    });
    expect(fs.existsSync(path.join(b.stateDir, 'attached.json'))).toBe(false);
    expect((await runcode(['list'])).stdout).toMatch(new RegExp(`^${WS}\\s+stopped\\s+-\\s`, 'm'));
    // Nothing attached, nothing connected: a command without a name says what to do.
    const ex = await runcode(['exec', '--', 'true']);
    expect({ code: ex.code, stderr: ex.stderr }).toEqual({
      code: 2,
      stderr:
        'runcode exec: no workspace is attached: `runcode connect NAME` attaches one (or name one with -w NAME)\n',
    });
  });

  it('~/.ssh/config is byte-identical after put/get, port-forward, stop and disconnect (no opt-in)', () => {
    expect(userConfig()).toBe(USER_CONFIG);
  });

  it('runcode start my-workspace: returns once it is running', async () => {
    const r = await runcode(['start', WS]);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: `${WS}: running\n` });
    const list = JSON.parse((await runcode(['list', '--json'])).stdout) as { name: string; state: string }[];
    expect(list.find((w) => w.name === WS)?.state).toBe('running');
  });

  it('runcode open my-workspace: the browser IDE in the default browser', async () => {
    const r = await runcode(['open', WS]);
    expect(r.code).toBe(0);
    const ws = (
      JSON.parse((await runcode(['list', '--json'])).stdout) as { name: string; webIdeUrl: string }[]
    ).find((w) => w.name === WS)!;
    expect(ws.webIdeUrl).toMatch(/^https:\/\//);
    expect(fs.readFileSync(opened, 'utf8')).toBe(`${ws.webIdeUrl}\n`);
  });

  it('runcode --version', async () => {
    const r = await runcode(['--version']);
    expect({ code: r.code, stdout: r.stdout }).toEqual({
      code: 0,
      stdout: expect.stringMatching(/^runcode \d+\.\d+\.\d+/),
    });
  });
});
