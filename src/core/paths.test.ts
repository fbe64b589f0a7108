import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keysDir, knownHostsPath, sshConfigPath, stateDir } from './paths.js';
import { isDefaultSshConfig } from './testing/defaultSshConfig.js';

describe('paths', () => {
  it('uses $RUNCODE_HOME as the state dir, spaces and all', () => {
    const home = '/tmp/Application Support/runcode';
    expect(stateDir({ RUNCODE_HOME: home })).toBe(home);
    expect(keysDir(stateDir({ RUNCODE_HOME: home }))).toBe(`${home}/keys`);
    expect(knownHostsPath(home)).toBe(`${home}/known_hosts`);
  });

  it("falls back to the platform's config dir for runcode, without env-paths' -nodejs suffix", () => {
    const dir = stateDir({});
    expect(path.isAbsolute(dir)).toBe(true);
    expect(path.basename(dir)).toBe('runcode');
    if (process.platform === 'linux') {
      const xdg = process.env.XDG_CONFIG_HOME || path.join(os.homedir(), '.config');
      expect(dir).toBe(path.join(xdg, 'runcode'));
    }
  });

  it('refuses a relative $RUNCODE_HOME or $RUNCODE_SSH_CONFIG', () => {
    expect(() => stateDir({ RUNCODE_HOME: 'state' })).toThrow(
      expect.objectContaining({ code: 'bad_config' }),
    );
    expect(() => sshConfigPath({ RUNCODE_SSH_CONFIG: '.ssh/config' })).toThrow(/absolute/);
  });

  it('uses $RUNCODE_SSH_CONFIG, else ~/.ssh/config', () => {
    expect(sshConfigPath({ RUNCODE_SSH_CONFIG: '/tmp/my home/.ssh/config' })).toBe(
      '/tmp/my home/.ssh/config',
    );
    expect(sshConfigPath({})).toBe(path.join(os.homedir(), '.ssh', 'config'));
    expect(isDefaultSshConfig({})).toBe(true);
    expect(isDefaultSshConfig({ RUNCODE_SSH_CONFIG: '/tmp/x/config' })).toBe(false);
  });
});
