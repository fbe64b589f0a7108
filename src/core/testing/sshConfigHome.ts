// A temp home for the SshConfigFile tests (sshConfigFile*.test.ts): call useSshConfigHome() once at
// the top of a test file; `home`, `state` and `cfg` (its ~/.ssh/config) are then live bindings,
// fresh for each test and removed after it (read-only modes undone first).
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { HostEntry } from '../ssh/hostEntry.js';
import { SshConfigFile } from '../ssh/sshConfigFile.js';
import { testHostEntry } from './hostEntry.js';
import { makeTempDir } from './tempDir.js';

export let home: string;
export let state: string;
export let cfg: string;

export function useSshConfigHome(): void {
  beforeEach(() => {
    home = makeTempDir('runcode-cfg-');
    state = path.join(home, 'Application Support', 'runcode');
    cfg = path.join(home, '.ssh', 'config');
  });
  afterEach(() => {
    // Undo read-only modes so the temp dir can go.
    for (const p of [path.join(home, '.ssh'), cfg]) if (fs.existsSync(p)) fs.chmodSync(p, 0o700);
    fs.rmSync(home, { recursive: true, force: true });
  });
}

export const entry = (name: string, over: Partial<HostEntry> = {}): HostEntry =>
  testHostEntry(name, state, { hostKeyAlias: 'runcode-gateway', ...over });
export const file = (over: Partial<ConstructorParameters<typeof SshConfigFile>[0]> = {}): SshConfigFile =>
  new SshConfigFile({ path: cfg, stateDir: state, ...over });
export const writeCfg = (text: string | Buffer, mode = 0o600): void => {
  fs.mkdirSync(path.dirname(cfg), { recursive: true, mode: 0o700 });
  fs.writeFileSync(cfg, text);
  fs.chmodSync(cfg, mode);
};
export const bytes = (p = cfg): Buffer => fs.readFileSync(p);

/** Someone else's host, before or after our block. */
export const OTHER = 'Host otherhost\n  User bob\n  Port 2200\n\n';
