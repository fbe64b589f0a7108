// Session channels through the gateway with the real OpenSSH client: exec, exit codes, stderr,
// stdin EOF, env allowlist, a pty (exec and interactive shell), signals, sftp-server missing,
// refused agent/X11 forwarding, and a stopping workspace closing its sessions.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ssh2Alpha, startGatewayFixture } from './testing/gatewayFixture.js';
import type { GatewayFixture } from './testing/gatewayFixture.js';
import { runProcess } from './testing/runProcess.js';
import type { SshClientConfig } from './testing/sshClientConfig.js';

let f: GatewayFixture;
beforeAll(async () => {
  f = await startGatewayFixture();
});
afterAll(async () => {
  await f?.close();
});

const ssh = (c: SshClientConfig, args: string[], input?: string) =>
  runProcess('ssh', ['-F', c.configFile, ...args], { input });

const ssh2Client = () => ssh2Alpha(f);

function waitFor(check: () => boolean, what: string, ms = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setInterval(() => {
      if (check()) {
        clearInterval(t);
        clearTimeout(limit);
        resolve();
      }
    }, 20);
    const limit = setTimeout(() => {
      clearInterval(t);
      reject(new Error(`timed out waiting for ${what}`));
    }, ms);
  });
}

describe('gateway sessions', () => {
  it('runs a command in the workspace dir with separate stdout/stderr and its exit code', async () => {
    const r = await ssh(f.client, [f.client.host, 'pwd; echo to-err >&2; exit 7']);
    expect(r.code).toBe(7);
    expect(r.stdout).toBe(`${fs.realpathSync(f.alphaDir)}\n`);
    expect(r.stderr).toBe('to-err\n');
  });

  it('passes stdin through and its EOF', async () => {
    const input = 'line\n'.repeat(20_000);
    const r = await ssh(f.client, [f.client.host, 'wc -c; echo done'], input);
    expect(r).toMatchObject({ code: 0, stdout: `${input.length}\ndone\n` });
  });

  it('takes allowlisted env only', async () => {
    const r = await ssh(f.client, [
      '-o',
      'SetEnv=LC_RUNCODE=yes LANG=C.UTF-8 LD_PRELOAD=/x.so PATH=/nowhere RUNCODE_X=1',
      f.client.host,
      'echo "$LC_RUNCODE|$LANG|${LD_PRELOAD-unset}|${RUNCODE_X-unset}|$PATH"',
    ]);
    expect(r.code).toBe(0);
    const [lc, lang, ld, x, path] = r.stdout.trim().split('|');
    expect([lc, lang, ld, x]).toEqual(['yes', 'C.UTF-8', 'unset', 'unset']);
    expect(path).not.toContain('/nowhere');
  });

  it('gives `ssh -tt CMD` a terminal', async () => {
    const r = await ssh(f.client, [
      '-tt',
      f.client.host,
      'test -t 0 && test -t 1 && echo ok; stty size; exit 3',
    ]);
    expect(r.code).toBe(3);
    expect(r.stdout).toContain('ok\r\n');
    expect(r.stdout).toMatch(/\d+ \d+\r\n/);
  });

  it('runs an interactive shell on a pty (`ssh -tt` fed with commands)', async () => {
    const r = await ssh(f.client, ['-tt', f.client.host], 'echo hi-$((40+2)); exit\n');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('hi-42\r\n');
  });

  it('applies window-change to the pty', async () => {
    const conn = await ssh2Client();
    try {
      const out = await new Promise<string>((resolve, reject) =>
        conn.shell({ rows: 24, cols: 80, term: 'xterm' }, (err, stream) => {
          if (err) return reject(err);
          let s = '';
          stream.on('data', (b: Buffer) => {
            s += b.toString();
            if (s.includes('first=24x80') && !s.includes('second=')) {
              stream.setWindow(40, 120, 0, 0);
              // The resize is applied asynchronously (stty -F); give it a moment.
              setTimeout(() => stream.write('echo second=$(stty size | tr " " x); exit\n'), 500);
            }
          });
          stream.on('close', () => resolve(s));
          stream.write('echo first=$(stty size | tr " " x)\n');
        }),
      );
      expect(out).toContain('second=40x120');
    } finally {
      conn.end();
    }
  });

  it('runs a shell without a pty from stdin', async () => {
    const r = await ssh(f.client, ['-T', f.client.host], 'echo plain-$((1+1))\nexit 4\n');
    expect(r).toMatchObject({ code: 4, stdout: 'plain-2\n' });
  });

  it('reports exit-signal and forwards a client signal', async () => {
    const conn = await ssh2Client();
    try {
      const exit = await new Promise<unknown[]>((resolve, reject) => {
        conn.exec('echo ready; sleep 30', (err, stream) => {
          if (err) return reject(err);
          stream.on('exit', (...a: unknown[]) => resolve(a));
          stream.on('data', (b: Buffer) => {
            if (b.toString().includes('ready')) stream.signal('TERM');
          });
          stream.stderr.resume();
        });
      });
      // ssh2's client reports the wire name TERM as SIGTERM.
      expect(exit.slice(0, 2)).toEqual([null, 'SIGTERM']);
    } finally {
      conn.end();
    }
  });

  it('refuses agent forwarding, X11 and unknown subsystems, and the session still works', async () => {
    const conn = await ssh2Client();
    const before = f.logs.length;
    try {
      const x11 = await new Promise<Error | undefined>((resolve) =>
        conn.exec('true', { x11: true }, (err, stream) => {
          stream?.resume();
          resolve(err);
        }),
      );
      expect(x11?.message).toMatch(/X11/);
      const sub = await new Promise<Error | undefined>((resolve) =>
        conn.subsys('no-such', (err) => resolve(err)),
      );
      expect(sub).toBeInstanceOf(Error);
      const out = await new Promise<string>((resolve, reject) =>
        conn.exec('echo still-here', (err, stream) => {
          if (err) return reject(err);
          let s = '';
          stream.on('data', (b: Buffer) => (s += b.toString()));
          stream.on('close', () => resolve(s));
        }),
      );
      expect(out).toBe('still-here\n');
    } finally {
      conn.end();
    }
    // OpenSSH asks for agent forwarding only with an agent to offer (our config says
    // IdentityAgent none, which the command line overrides here).
    const sock = `${f.root}/agent.sock`;
    const agent = net.createServer((s) => s.destroy());
    await new Promise<void>((r) => agent.listen(sock, r));
    try {
      const r = await runProcess(
        'ssh',
        [
          '-F',
          f.client.configFile,
          '-A',
          '-o',
          'IdentityAgent=SSH_AUTH_SOCK',
          f.client.host,
          'echo "${SSH_AUTH_SOCK-none}"',
        ],
        { env: { ...process.env, SSH_AUTH_SOCK: sock } },
      );
      expect(r).toMatchObject({ code: 0, stdout: 'none\n' });
    } finally {
      agent.close();
    }
    const log = f.logs.slice(before).join('\n');
    expect(log).toContain('refused X11 forwarding');
    expect(log).toContain('refused subsystem "no-such"');
    expect(log).toContain('refused agent forwarding');
  });

  it('closes the sessions of a workspace that stops, with a message, and only those', async () => {
    const beta = f.newClient('beta', 'beta', 'ws-beta');
    const spawnHeld = (c: SshClientConfig, extra: string[] = []) => {
      const p = spawn('ssh', ['-F', c.configFile, ...extra, c.host, 'echo started; sleep 60'], {
        stdio: 'pipe',
      });
      const io = { out: '', err: '' };
      p.stdout.on('data', (b: Buffer) => (io.out += b.toString()));
      p.stderr.on('data', (b: Buffer) => (io.err += b.toString()));
      const closed = new Promise<number | null>((r) => p.on('close', r));
      return { p, io, closed };
    };
    const a = spawnHeld(f.client);
    const t = spawnHeld(f.client, ['-tt']);
    const b = spawnHeld(beta);
    try {
      await waitFor(() => [a, t, b].every((h) => h.io.out.includes('started')), 'sessions to start');
      f.backend.stopWorkspace('ws-alpha');
      expect(await a.closed).toBe(255);
      expect(a.io.err).toContain('runcode: workspace alpha stopped; closing this session\n');
      expect(await t.closed).toBe(255);
      expect(t.io.out + t.io.err).toContain('runcode: workspace alpha stopped; closing this session');
      // beta's session is untouched, and alpha refuses new logins while stopped.
      expect(b.p.exitCode).toBeNull();
      const again = await ssh(f.client, [f.client.host, 'true']);
      expect(again.code).toBe(255);
    } finally {
      f.backend.startWorkspace('ws-alpha');
      for (const h of [a, t, b]) h.p.kill();
    }
    expect((await ssh(f.client, [f.client.host, 'echo back'])).stdout).toBe('back\n');
  });
});

describe('gateway with a missing workspace directory', () => {
  it('says so on stderr with exit status 1 instead of a confusing spawn error', async () => {
    f.backend.addWorkspace({ id: 'ws-delta', name: 'delta', dir: `${f.root}/workspaces/not-there` });
    const c = f.newClient('delta', 'delta', 'ws-delta');
    const r = await ssh(c, [c.host, 'echo', 'hi']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('runcode: the workspace directory');
    expect(r.stderr).toContain('does not exist');
  });
});

describe('gateway sftp without sftp-server', () => {
  it('refuses with a clear message and exit status 1', async () => {
    const g = await startGatewayFixture({ sftpServerPaths: ['/nonexistent/sftp-server'] });
    try {
      const r = await runProcess('ssh', ['-F', g.client.configFile, '-s', g.client.host, 'sftp']);
      expect(r.code).toBe(1);
      const line = /^runcode: file transfer needs OpenSSH's sftp-server on this machine: .+$/m;
      expect(r.stderr).toMatch(line);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      // What a person using the real sftp client sees.
      const batch = path.join(g.root, 'batch');
      fs.writeFileSync(batch, 'ls\n');
      const s = await runProcess('sftp', ['-F', g.client.configFile, '-b', batch, g.client.host]);
      expect(s.code).not.toBe(0);
      expect(s.stderr).toMatch(line);
      if (fs.existsSync('/usr/bin/apt-get'))
        expect(s.stderr).toContain('apt-get install openssh-sftp-server');
    } finally {
      await g.close();
    }
  });
});
