import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectEditors } from './detectEditors.js';
import type { FsProbe } from './findExecutable.js';
import { findExecutable } from './findExecutable.js';

const machine = (...files: string[]): FsProbe => ({
  exists: (p) => files.includes(p),
  isExecutable: (p) => files.includes(p),
});

describe('detectEditors', () => {
  it('macOS: app bundles in /Applications and ~/Applications', () => {
    const found = detectEditors(
      'darwin',
      { HOME: '/Users/me' },
      machine(
        '/Applications/Visual Studio Code.app',
        '/Users/me/Applications/Zed Preview.app',
        '/Users/me/Applications/JetBrains Gateway.app',
      ),
    );
    expect(found).toEqual({
      vscode: true,
      'vscode-insiders': false,
      cursor: false,
      windsurf: false,
      zed: true,
      'jetbrains-gateway': true,
      terminal: true,
      browser: true,
    });
  });

  it('Linux: commands on PATH, Flatpak exports and JetBrains Toolbox', () => {
    const env = { PATH: '/usr/bin:/home/me/.local/bin', HOME: '/home/me' };
    const found = detectEditors(
      'linux',
      env,
      machine(
        '/usr/bin/cursor',
        '/home/me/.local/bin/zeditor',
        '/var/lib/flatpak/exports/bin/com.visualstudio.code',
        '/home/me/.local/share/JetBrains/Toolbox/scripts/gateway',
        '/usr/bin/xterm',
      ),
    );
    expect(found).toEqual({
      vscode: true,
      'vscode-insiders': false,
      cursor: true,
      windsurf: false,
      zed: true,
      'jetbrains-gateway': true,
      terminal: true,
      browser: true,
    });
    expect(detectEditors('linux', { PATH: '/usr/bin' }, machine()).terminal).toBe(false);
  });

  it('Windows: per-user and machine install folders; Gateway unknown unless Toolbox has it', () => {
    const env = { LOCALAPPDATA: 'C:\\Users\\me\\AppData\\Local', ProgramFiles: 'C:\\Program Files' };
    const found = detectEditors(
      'win32',
      env,
      machine(
        'C:\\Program Files\\Microsoft VS Code\\Code.exe',
        'C:\\Users\\me\\AppData\\Local\\Programs\\Windsurf\\Windsurf.exe',
      ),
    );
    expect(found).toEqual({
      vscode: true,
      'vscode-insiders': false,
      cursor: false,
      windsurf: true,
      zed: false,
      'jetbrains-gateway': undefined,
      terminal: true,
      browser: true,
    });
  });

  it('says unknown on a platform it cannot inspect', () => {
    expect(detectEditors('freebsd', {}, machine()).vscode).toBeUndefined();
  });
});

describe('findExecutable', () => {
  it('finds an executable file on PATH and skips non-executables and directories', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-path-'));
    try {
      fs.mkdirSync(path.join(dir, 'a'));
      fs.mkdirSync(path.join(dir, 'b'));
      fs.writeFileSync(path.join(dir, 'a', 'tool'), 'not executable', { mode: 0o644 });
      fs.mkdirSync(path.join(dir, 'a', 'dir-tool'));
      fs.writeFileSync(path.join(dir, 'b', 'tool'), '#!/bin/sh\n', { mode: 0o755 });
      const env = { PATH: `${path.join(dir, 'a')}:${path.join(dir, 'b')}` };
      expect(findExecutable('tool', 'linux', env)).toBe(path.join(dir, 'b', 'tool'));
      expect(findExecutable('dir-tool', 'linux', env)).toBeUndefined();
      expect(findExecutable('missing', 'linux', env)).toBeUndefined();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tries PATHEXT on Windows', () => {
    const env = { PATH: 'C:\\bin', PATHEXT: '.COM;.EXE' };
    expect(findExecutable('code', 'win32', env, machine('C:\\bin\\code.exe'))).toBe('C:\\bin\\code.exe');
  });
});
