// "Save diagnostics...": one .tar.gz a user can send: the logs of every process kind, the doctor's
// report, versions (app, Electron, Node, OpenSSH, OS) and our ssh config block (and our own ssh
// config file). Everything is redacted on the way in (again: the logs were redacted when
// written; a file edited by hand or an older version's log is not trusted to be).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DoctorCheck } from '../../shared/contract.js';
import { logFiles } from '../logs/logger.js';
import { redact } from '../logs/redact.js';
import { locateBlock } from '../ssh/sshConfigBlock.js';
import { atomicWrite } from '../fs/atomicWrite.js';
import type { TarEntry } from './tarGz.js';
import { tarGz } from './tarGz.js';

export interface DiagnosticsInput {
  stateDir: string;
  /** The user's ssh config, whose RunCode block is included (only the block). */
  sshConfigPath: string;
  /** Our own ssh config (`<state>/ssh_config`), included whole, when it exists. */
  ownSshConfigPath?: string;
  appVersion: string;
  electronVersion?: string;
  doctor(): Promise<DoctorCheck[]>;
  /** For tests: the OpenSSH version line. */
  sshVersion?(): Promise<string>;
}

function sshVersion(): Promise<string> {
  return new Promise((resolve) => {
    execFile('ssh', ['-V'], { timeout: 10_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      resolve(err && !stderr ? `ssh -V failed: ${err.message}` : (stderr || stdout).trim());
    });
  });
}

export function doctorText(checks: readonly DoctorCheck[]): string {
  return checks
    .map(
      (c) =>
        `[${c.ok ? 'ok' : 'FAIL'}] ${c.title}: ${c.detail}${c.fix && !c.ok ? `\n       fix: ${c.fix}` : ''}`,
    )
    .join('\n');
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The entries of the archive, already redacted. */
export async function diagnosticsEntries(i: DiagnosticsInput): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  const add = (name: string, text: string) =>
    entries.push({ name: `runcode-diagnostics/${name}`, data: redact(text) });

  const doctor = await i.doctor().then(doctorText, (e: unknown) => `the doctor could not run: ${String(e)}`);
  add('doctor.txt', `${doctor}\n`);
  const versions = [
    `RunCode Tray ${i.appVersion}`,
    ...(i.electronVersion ? [`Electron ${i.electronVersion}`] : []),
    `Node ${process.versions.node}`,
    `OpenSSH ${await (i.sshVersion ?? sshVersion)()}`,
    `OS ${os.type()} ${os.release()} ${os.arch()} (${process.platform})`,
  ];
  add('versions.txt', `${versions.join('\n')}\n`);

  const user = readIfExists(i.sshConfigPath);
  let block = `${i.sshConfigPath}: no RunCode block\n`;
  if (user !== undefined) {
    try {
      const at = locateBlock(user, i.sshConfigPath);
      if (at) block = user.slice(at.start, at.end);
    } catch (e) {
      block = `${i.sshConfigPath}: ${String(e)}\n`;
    }
  }
  add('ssh-config-block.txt', block);
  const own = i.ownSshConfigPath ? readIfExists(i.ownSshConfigPath) : undefined;
  if (own !== undefined) add('own-ssh-config.txt', own);

  for (const file of logFiles(i.stateDir)) add(`logs/${path.basename(file)}`, fs.readFileSync(file, 'utf8'));
  return entries;
}

/** `runcode-diagnostics-20261128-021500.tar.gz` */
export function diagnosticsFileName(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `runcode-diagnostics-${stamp}.tar.gz`;
}

/** Writes the archive atomically to `dest` (0600) and returns its path. */
export async function saveDiagnostics(dest: string, i: DiagnosticsInput): Promise<string> {
  const archive = tarGz(await diagnosticsEntries(i));
  fs.mkdirSync(path.dirname(dest), { recursive: true, mode: 0o700 });
  await atomicWrite(dest, archive, { mode: 0o600, keepMode: false });
  return dest;
}
