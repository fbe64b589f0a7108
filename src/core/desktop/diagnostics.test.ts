// The diagnostics archive, opened with the real tar: what it holds, and that a token, a private
// key and a pass id sent through every log path (and the doctor, and the ssh config) are gone.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger, LOG_KINDS, logFile } from '../logs/logger.js';
import { redactor } from '../logs/redact.js';
import { generateEd25519KeyPair } from '../ssh/opensshKey.js';
import { diagnosticsFileName, saveDiagnostics } from './diagnostics.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-diag-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function extract(archive: string): Record<string, string> {
  const out = path.join(dir, 'out');
  fs.mkdirSync(out);
  execFileSync('tar', ['-xzf', archive, '-C', out]);
  const files: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files[path.relative(out, p)] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(out);
  return files;
}

describe('diagnostics archive', () => {
  it('holds logs, doctor, versions and the ssh config block, with no token, private key or pass id', async () => {
    const stateDir = path.join(dir, 'state');
    const token = 'rcT0k3n_' + 'Ab9'.repeat(12);
    const { privateKey } = generateEd25519KeyPair('me@laptop');
    const keyBody = privateKey.split('\n')[2]!;
    const passId = 'pass_7fK2q9Zx31LmPq';
    redactor.remember(token);

    // Every log path: each process kind's logger, with the secrets in the shapes they take.
    for (const kind of LOG_KINDS) {
      const log = createLogger({ stateDir, kind, level: 'debug' });
      log.info(`${kind}: request with Authorization: Bearer ${token}`);
      log.debug('token answer', { access_token: token, token_type: 'bearer' });
      log.warn(`opened https://127.0.0.1:1/oauth/authorize?client_id=x&code=${token}&owner=${token}`);
      log.error(new Error(`connect failed with ${token} and key ${privateKey}`));
      log.info('key file', privateKey);
      log.info('key split over', '-----BEGIN OPENSSH PRIVATE KEY-----\n' + keyBody);
      log.info(`renewed pass ${passId} for api`, { passId });
      log.info(`server: pass_id=${passId}; sshPassId: "${passId}"`);
      log.info(`${kind}: the line after the secrets`);
    }
    const sshConfig = path.join(dir, 'home', '.ssh', 'config');
    fs.mkdirSync(path.dirname(sshConfig), { recursive: true });
    fs.writeFileSync(
      sshConfig,
      [
        'Host mine',
        '  User me',
        '# ------------ BEGIN RUNCODE (managed by RunCode Tray; `runcode config-ssh --remove` removes it) ------------',
        'Host runcode.api',
        '  HostName 127.0.0.1',
        `  # pass ${passId}`,
        '# ------------ END RUNCODE ------------',
        'Host after',
        '',
      ].join('\n'),
    );
    const dest = path.join(dir, 'saved', diagnosticsFileName(new Date(Date.UTC(2026, 10, 28, 2, 15))));
    expect(path.basename(dest)).toBe('runcode-diagnostics-20261128-021500.tar.gz');
    await saveDiagnostics(dest, {
      stateDir,
      sshConfigPath: sshConfig,
      appVersion: '0.1.0',
      electronVersion: '45.5.0',
      sshVersion: async () => 'OpenSSH_9.2p1',
      doctor: async () => [
        {
          id: 'endpoint',
          title: 'Endpoint',
          ok: false,
          detail: `refused Bearer ${token}`,
          fix: 'sign in again',
        },
      ],
    });
    expect(fs.statSync(dest).mode & 0o777).toBe(0o600);

    const files = extract(dest);
    expect(Object.keys(files).sort()).toEqual([
      'runcode-diagnostics/doctor.txt',
      'runcode-diagnostics/logs/cli.log',
      'runcode-diagnostics/logs/server.log',
      'runcode-diagnostics/logs/tray.log',
      'runcode-diagnostics/ssh-config-block.txt',
      'runcode-diagnostics/versions.txt',
    ]);
    const all = Object.values(files).join('\n');
    for (const secret of [token, keyBody, keyBody.slice(0, 24), passId, 'PRIVATE KEY-----\n']) {
      expect(all).not.toContain(secret);
    }
    // ...and what is not secret is still there to read.
    for (const kind of LOG_KINDS) {
      const log = files[`runcode-diagnostics/logs/${kind}.log`]!;
      expect(log).toContain(`${kind}: request with Authorization: Bearer [redacted]`);
      expect(log).toContain('[private key redacted]');
      expect(log).toContain('renewed pass [redacted] for api');
      expect(log).toMatch(/\[error\] Error: connect failed with \[redacted\]/);
      expect(log).toContain(`${kind}: the line after the secrets`);
      // The files on disk were redacted when written, not only in the archive.
      expect(fs.readFileSync(logFile(stateDir, kind), 'utf8')).not.toContain(token);
    }
    expect(files['runcode-diagnostics/doctor.txt']).toBe(
      '[FAIL] Endpoint: refused Bearer [redacted]\n       fix: sign in again\n',
    );
    expect(files['runcode-diagnostics/versions.txt']).toMatch(
      /^RunCode Tray 0\.1\.0\nElectron 45\.5\.0\nNode \d+\.\d+\.\d+\nOpenSSH OpenSSH_9\.2p1\nOS .+\n$/,
    );
    const block = files['runcode-diagnostics/ssh-config-block.txt']!;
    expect(block).toMatch(/^# -+ BEGIN RUNCODE/);
    expect(block).toContain('Host runcode.api');
    expect(block).not.toContain('Host mine');
    expect(block).not.toContain('Host after');
  });

  it('rotates a log by size, keeping one older file', () => {
    const stateDir = path.join(dir, 'state');
    const log = createLogger({ stateDir, kind: 'cli', maxBytes: 2_000 });
    for (let i = 0; i < 100; i++) log.info(`line ${i} ${'x'.repeat(40)}`);
    const cur = fs.readFileSync(logFile(stateDir, 'cli'), 'utf8');
    const old = fs.readFileSync(logFile(stateDir, 'cli').replace(/\.log$/, '.old.log'), 'utf8');
    expect(cur).toContain('line 99');
    expect(cur.length).toBeLessThanOrEqual(2_000 + 200);
    expect(old).toMatch(/line \d+/);
    expect(fs.statSync(logFile(stateDir, 'cli')).mode & 0o777).toBe(0o600);
  });

  it('writes levels at or above the one asked for', () => {
    const stateDir = path.join(dir, 'state');
    const log = createLogger({ stateDir, kind: 'server', level: 'warn' });
    log.info('quiet');
    log.debug('quieter');
    log.warn('loud');
    const text = fs.readFileSync(logFile(stateDir, 'server'), 'utf8');
    expect(text).toMatch(/\[warn\]\s+loud\n$/);
    expect(text).not.toContain('quiet');
  });
});
