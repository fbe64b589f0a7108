// DesktopActions' ssh-config calls: the backup path shown is where the backup is written (beside
// a symlinked config's target, not the link: issue 17.3), and the Settings switch writes or
// removes the block before recording the choice.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RuncodeApp } from '../app/runcodeApp.js';
import { MemorySecretStore } from '../secrets/memorySecretStore.js';
import { generateEd25519KeyPair } from '../ssh/opensshKey.js';
import { ConnectionStore } from '../state/connectionStore.js';
import { SettingsFile } from '../state/settingsFile.js';
import { sampleSshPass } from '../testing/wireSamples.js';
import { DesktopActions } from './desktopActions.js';

let root: string;
let app: RuncodeApp;
let actions: DesktopActions;
let link: string;
let target: string;

beforeEach(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-actions-'));
  // ~/.ssh/config is a link into a dotfiles repo, as many keep it.
  target = path.join(root, 'dotfiles', 'ssh_config');
  link = path.join(root, 'home', '.ssh', 'config');
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.mkdirSync(path.dirname(link), { recursive: true });
  fs.writeFileSync(target, 'Host mine\n  HostName example.com\n');
  fs.symlinkSync(target, link);
  const stateDir = path.join(root, 'state');
  app = new RuncodeApp({
    stateDir,
    sshConfigPath: link,
    secrets: new MemorySecretStore(),
    settings: new SettingsFile(stateDir),
  });
  // One connection on record, so the block has a host to hold.
  await new ConnectionStore(stateDir).put({
    name: 'api',
    workspaceId: 'ws-1',
    publicKey: generateEd25519KeyPair('runcode-api').publicKey,
    pass: sampleSshPass(),
    issuedAt: new Date().toISOString(),
  });
  actions = new DesktopActions({
    app,
    openUrl: async () => undefined,
    platform: 'linux',
    known: () => ({}),
    connect: async () => undefined,
  });
});
afterEach(async () => {
  await app.dispose();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('DesktopActions ssh config', () => {
  it('shows the backup path where the backup is written: beside the link target', async () => {
    await actions.settingsSet({ sshConfigOptIn: true }); // the first change writes the backup
    const info = await actions.sshConfig();
    expect(info.backupPath).toBe(`${fs.realpathSync(target)}.runcode-backup`);
    expect(fs.existsSync(info.backupPath!)).toBe(true);
    expect(fs.existsSync(`${link}.runcode-backup`)).toBe(false);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
  });

  it('the switch writes the block, then records it; off removes it byte-exactly', async () => {
    const original = fs.readFileSync(target);
    expect((await actions.settingsGet()).sshConfigOptIn).toBe(false);
    expect((await actions.settingsSet({ sshConfigOptIn: true })).sshConfigOptIn).toBe(true);
    expect(fs.readFileSync(target, 'utf8')).toMatch(/BEGIN RUNCODE[^]*Host runcode\.api\n/);
    expect((await app.settings.get()).sshConfigOptIn).toBe(true);
    expect((await actions.settingsSet({ sshConfigOptIn: false })).sshConfigOptIn).toBe(false);
    expect(fs.readFileSync(target)).toEqual(original);
    // A block that cannot be written leaves the switch off.
    fs.chmodSync(path.dirname(target), 0o500);
    fs.chmodSync(target, 0o400);
    try {
      const e = await actions.settingsSet({ sshConfigOptIn: true }).catch((err: unknown) => err);
      expect((e as { code?: string }).code).toBe('config_not_writable');
      expect((await app.settings.get()).sshConfigOptIn).toBe(false);
    } finally {
      fs.chmodSync(path.dirname(target), 0o700);
      fs.chmodSync(target, 0o600);
    }
  });

  it('a block written before the opt-in existed is adopted at start (kept following connects)', async () => {
    const original = fs.readFileSync(target);
    await app.config.setUserBlock([app.connections.entry((await app.connections.list())[0]!)]);
    expect((await app.settings.get()).sshConfigOptIn).toBe(false);
    await app.startRefresher();
    expect((await app.settings.get()).sshConfigOptIn).toBe(true);
    // Off again: the block goes, byte-exactly.
    await actions.settingsSet({ sshConfigOptIn: false });
    expect(fs.readFileSync(target)).toEqual(original);
  });
});
