// One SSH "session" channel: pty-req, window-change, env (allowlisted), signal, then one of
// shell, exec or subsystem sftp. Agent and X11 forwarding are refused.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { ServerChannel, Session } from 'ssh2';
import { ChannelProcess, finishChannel } from './channelProcess.js';
import type { GatewayWorkspace } from './gatewayBackend.js';
import { MAX_ENV_VARS, isAllowedEnv } from './gatewayEnv.js';
import { findSftpServer } from '../core/ssh/sftpServer.js';
import { commandEnv, resizePty, spawnCommand, userShell } from './gatewayProcess.js';
import type { PtyRequest } from './gatewayProcess.js';
import { noSftpServerMessage } from './sftpServerStatus.js';

export interface SessionContext {
  /** The workspace as it is now, or undefined if it is gone or not running. */
  workspace(): GatewayWorkspace | undefined;
  log(msg: string): void;
  /** For log lines: `user@ip:port`. */
  label: string;
  /** SSH_CONNECTION for the command: `client-ip client-port server-ip server-port`. */
  sshConnection: string;
  /** Where to look for OpenSSH's sftp-server. */
  sftpServerPaths: readonly string[];
}

const SIGNALS = new Set(['HUP', 'INT', 'QUIT', 'TERM', 'KILL', 'USR1', 'USR2', 'ALRM']);

export class GatewaySession {
  private readonly env: Record<string, string> = {};
  private envCount = 0;
  private pty: PtyRequest | undefined;
  private proc: ChannelProcess | undefined;
  private channel: ServerChannel | undefined;
  private closed = false;
  /** The running command has the pty (sftp never does). */
  private usesPty = false;

  constructor(
    session: Session,
    private readonly ctx: SessionContext,
    onClose: () => void,
  ) {
    session.on('error', () => {});
    session.on('pty', (accept, reject, info) => {
      if (this.channel) return reject?.();
      this.pty = { term: String(info.term ?? 'xterm'), cols: info.cols, rows: info.rows };
      accept?.();
    });
    session.on('window-change', (accept, _reject, info) => {
      accept?.();
      if (!this.pty) return;
      this.pty = { ...this.pty, rows: info.rows, cols: info.cols };
      if (this.proc && this.usesPty) resizePty(this.proc.child, info.rows, info.cols);
    });
    session.on('env', (accept, reject, info) => {
      if (this.channel || this.envCount >= MAX_ENV_VARS || !isAllowedEnv(info.key, info.val))
        return reject?.();
      this.env[info.key] = info.val;
      this.envCount++;
      accept?.();
    });
    session.on('signal', (accept, reject, info) => {
      const name = String(info.name).replace(/^SIG/, '');
      const pid = this.proc?.child.pid;
      if (!SIGNALS.has(name) || pid === undefined) return reject?.();
      try {
        process.kill(-pid, `SIG${name}` as NodeJS.Signals);
      } catch {
        // already gone
      }
      accept?.();
    });
    session.on('auth-agent', (_accept, reject) => {
      ctx.log(`gateway: refused agent forwarding for ${ctx.label}`);
      reject?.();
    });
    session.on('x11', (_accept, reject) => {
      ctx.log(`gateway: refused X11 forwarding for ${ctx.label}`);
      reject?.();
    });
    session.on('shell', (accept, reject) => this.run(accept, reject, undefined));
    session.on('exec', (accept, reject, info) => this.run(accept, reject, info.command));
    session.on('subsystem', (accept, reject, info) => {
      if (info.name !== 'sftp') {
        ctx.log(`gateway: refused subsystem ${JSON.stringify(info.name.slice(0, 64))} for ${ctx.label}`);
        return reject?.();
      }
      this.sftp(accept, reject);
    });
    session.on('close', () => {
      this.closed = true;
      this.proc?.kill();
      onClose();
    });
  }

  private open(accept: () => ServerChannel, reject: (() => void) | undefined): ServerChannel | undefined {
    const channel = this.closed || this.channel ? undefined : accept();
    if (!channel) {
      reject?.();
      return undefined;
    }
    channel.on('error', () => {});
    this.channel = channel;
    return channel;
  }

  private baseEnv(): Record<string, string> {
    return { ...this.env, SSH_CONNECTION: this.ctx.sshConnection };
  }

  /** False (after telling the client) when the workspace's directory is gone. */
  private dirExists(channel: ServerChannel, dir: string): boolean {
    if (fs.existsSync(dir)) return true;
    this.ctx.log(`gateway: workspace directory ${dir} is missing (${this.ctx.label})`);
    channel.stderr.write(`runcode: the workspace directory ${dir} does not exist\n`);
    void finishChannel(channel, 1, null);
    return false;
  }

  private run(
    accept: () => ServerChannel,
    reject: (() => void) | undefined,
    command: string | undefined,
  ): void {
    const ws = this.ctx.workspace();
    if (!ws) return reject?.();
    const channel = this.open(accept, reject);
    if (!channel || !this.dirExists(channel, ws.dir)) return;
    const child = spawnCommand({ command, pty: this.pty, cwd: ws.dir, env: this.baseEnv() });
    this.usesPty = this.pty !== undefined;
    this.proc = new ChannelProcess(channel, child);
  }

  private sftp(accept: () => ServerChannel, reject: (() => void) | undefined): void {
    const ws = this.ctx.workspace();
    if (!ws) return reject?.();
    const server = findSftpServer(this.ctx.sftpServerPaths);
    const channel = this.open(accept, reject);
    if (!channel || !this.dirExists(channel, ws.dir)) return;
    if (!server) {
      this.ctx.log(`gateway: sftp requested by ${this.ctx.label} but no sftp-server is installed`);
      channel.stderr.write(noSftpServerMessage());
      void finishChannel(channel, 1, null);
      return;
    }
    const env = commandEnv(userShell(), {}, this.baseEnv());
    const child = spawn(server, [], { cwd: ws.dir, env, detached: true, stdio: 'pipe' });
    this.proc = new ChannelProcess(channel, child);
  }

  /** The workspace stopped: say so on stderr, then exit status 255 and close. */
  async stop(message: string): Promise<void> {
    if (this.proc) return this.proc.stop(this.pty ? message.replace(/\n/g, '\r\n') : message);
  }

  kill(): void {
    this.proc?.kill();
  }
}
