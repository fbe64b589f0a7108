import { execFileSync } from 'node:child_process';
// Launchers with an injected spawn and URL opener: no real window is ever opened.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { FsProbe } from './findExecutable.js';
import type { LaunchDeps, SpawnFn } from './launchEditor.js';
import { commandLine, describeLaunch, launchEditor } from './launchEditor.js';
import { terminalCommand } from './terminalCommand.js';
import { EDITOR_TARGET } from '../testing/editorTarget.js';

/** A machine where exactly `files` exist (all executable). */
const machine = (...files: string[]): FsProbe => ({
  exists: (p) => files.includes(p),
  isExecutable: (p) => files.includes(p),
});

const T = EDITOR_TARGET;

function recorder(fail?: string) {
  const spawned: { file: string; args: string[]; options: unknown }[] = [];
  const spawn: SpawnFn = (file, args, options) => {
    spawned.push({ file, args, options });
    const child = Object.assign(new EventEmitter(), { unref: () => {} });
    setImmediate(() => {
      if (fail) child.emit('error', Object.assign(new Error(fail), { code: fail }));
      else child.emit('spawn');
    });
    return child;
  };
  return { spawned, spawn };
}

describe('terminalCommand', () => {
  it('macOS: Terminal via osascript, or iTerm when installed; the alias inside a fixed script', () => {
    expect(terminalCommand('runcode.api', 'darwin', { HOME: '/Users/me' }, machine())).toEqual({
      file: '/usr/bin/osascript',
      args: [
        '-e',
        'tell application "Terminal"',
        '-e',
        'activate',
        '-e',
        'do script "ssh runcode.api"',
        '-e',
        'end tell',
      ],
    });
    const iterm = terminalCommand(
      'runcode.api',
      'darwin',
      { HOME: '/Users/me' },
      machine('/Users/me/Applications/iTerm.app'),
    );
    expect(iterm.args).toEqual([
      '-e',
      'tell application "iTerm"',
      '-e',
      'activate',
      '-e',
      'create window with default profile command "ssh runcode.api"',
      '-e',
      'end tell',
    ]);
  });

  it('Windows: Windows Terminal when found, else cmd /c start', () => {
    const env = {
      PATH: 'C:\\Windows\\system32;C:\\Users\\me\\AppData\\Local\\Microsoft\\WindowsApps',
      ComSpec: 'C:\\Windows\\system32\\cmd.exe',
    };
    const wt = 'C:\\Users\\me\\AppData\\Local\\Microsoft\\WindowsApps\\wt.exe';
    expect(terminalCommand('runcode.api', 'win32', env, machine(wt))).toEqual({
      file: wt,
      args: ['ssh', 'runcode.api'],
    });
    expect(terminalCommand('runcode.api', 'win32', env, machine())).toEqual({
      file: 'C:\\Windows\\system32\\cmd.exe',
      args: ['/c', 'start', 'ssh', 'runcode.api'],
    });
  });

  it('Linux: the first terminal found, each with its own way of taking a command', () => {
    const env = { PATH: '/usr/local/bin:relative/bin:/usr/bin' };
    const cases: [string, string[]][] = [
      ['x-terminal-emulator', ['-e', 'ssh', 'runcode.api']],
      ['gnome-terminal', ['--', 'ssh', 'runcode.api']],
      ['konsole', ['-e', 'ssh', 'runcode.api']],
      ['xfce4-terminal', ['-x', 'ssh', 'runcode.api']],
      ['alacritty', ['-e', 'ssh', 'runcode.api']],
      ['kitty', ['ssh', 'runcode.api']],
      ['xterm', ['-e', 'ssh', 'runcode.api']],
    ];
    for (const [name, args] of cases) {
      expect(terminalCommand('runcode.api', 'linux', env, machine(`/usr/bin/${name}`))).toEqual({
        file: `/usr/bin/${name}`,
        args,
      });
    }
    // Order: gnome-terminal wins over xterm; a relative PATH entry is never used.
    expect(
      terminalCommand('runcode.api', 'linux', env, machine('/usr/bin/xterm', '/usr/local/bin/gnome-terminal'))
        .file,
    ).toBe('/usr/local/bin/gnome-terminal');
    expect(() => terminalCommand('runcode.api', 'linux', env, machine('relative/bin/xterm'))).toThrow(
      expect.objectContaining({ code: 'no_terminal' }),
    );
  });

  it('with our own ssh config: `ssh -F PATH ALIAS`, the path quoted for each platform', () => {
    const own = '/Users/me/Library/Application Support/runcode/ssh_config';
    const linux = terminalCommand(
      'runcode.api',
      'linux',
      { PATH: '/usr/bin' },
      machine('/usr/bin/xterm'),
      own,
    );
    expect(linux).toEqual({ file: '/usr/bin/xterm', args: ['-e', 'ssh', '-F', own, 'runcode.api'] });
    const mac = terminalCommand('runcode.api', 'darwin', { HOME: '/Users/me' }, machine(), own);
    expect(mac.args[5]).toBe(`do script "ssh -F '${own}' runcode.api"`);
    // A quote, a backslash or a double quote in the path cannot end the AppleScript string or
    // the shell word.
    const odd = `/Users/o'brien "x" \\ $(y)/ssh_config`;
    const line = terminalCommand('runcode.api', 'darwin', {}, machine(), odd).args[5]!;
    const m = /^do script "((?:[^"\\]|\\.)*)"$/.exec(line);
    expect(m, line).not.toBeNull();
    // What AppleScript hands to the shell, then what the shell makes of it: the same words.
    const shellLine = m![1]!.replace(/\\(["\\])/g, '$1');
    const words = execFileSync('sh', ['-c', `set -- ${shellLine}; printf '%s\\0' "$@"`]).toString();
    expect(words.split('\0').slice(0, -1)).toEqual(['ssh', '-F', odd, 'runcode.api']);
    const winEnv = { PATH: 'C:\\bin', ComSpec: 'C:\\Windows\\system32\\cmd.exe' };
    const winOwn = 'C:\\Users\\me\\AppData\\Roaming\\runcode\\ssh_config';
    expect(terminalCommand('runcode.api', 'win32', winEnv, machine(), winOwn).args).toEqual([
      '/c',
      'start',
      'ssh',
      '-F',
      winOwn,
      'runcode.api',
    ]);
    expect(() => terminalCommand('runcode.api', 'win32', winEnv, machine(), 'C:\\a&b\\ssh_config')).toThrow(
      expect.objectContaining({ code: 'invalid_argument' }),
    );
    expect(() =>
      terminalCommand('runcode.api', 'linux', {}, machine('/usr/bin/xterm'), 'relative/ssh_config'),
    ).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    expect(() => terminalCommand('runcode.api', 'linux', {}, machine('/usr/bin/xterm'), '/a\nb')).toThrow(
      expect.objectContaining({ code: 'invalid_argument' }),
    );
  });

  it('refuses anything but a plain runcode alias (it lands inside AppleScript quotes)', () => {
    for (const alias of [
      'runcode.a"; do shell script "rm',
      'runcode.A',
      'other.api',
      'runcode.api extra',
      'runcode.',
    ]) {
      expect(() => terminalCommand(alias, 'darwin', {}, machine())).toThrow(
        expect.objectContaining({ code: 'invalid_argument' }),
      );
    }
  });
});

describe('describeLaunch', () => {
  it('gives the URL for URL editors and the quoted command line for the terminal', () => {
    expect(describeLaunch({ ...T, editor: 'zed' }, { platform: 'linux' })).toEqual({
      kind: 'url',
      editor: 'zed',
      url: 'zed://ssh/runcode.api/home/dev/my%20project',
    });
    const plan = describeLaunch(
      { ...T, editor: 'terminal' },
      { platform: 'darwin', env: {}, probe: machine() },
    );
    expect(plan.kind).toBe('command');
    expect(plan.kind === 'command' && plan.commandLine).toBe(
      `/usr/bin/osascript -e 'tell application "Terminal"' -e activate -e 'do script "ssh runcode.api"' -e 'end tell'`,
    );
  });

  it('refuses an unknown editor', () => {
    expect(() => describeLaunch({ ...T, editor: 'emacs' as never }, { platform: 'linux' })).toThrow(
      /unknown editor/,
    );
  });

  it('quotes for cmd on Windows', () => {
    expect(commandLine({ file: 'C:\\Program Files\\x.exe', args: ['a b', 'c'] }, 'win32')).toBe(
      '"C:\\Program Files\\x.exe" "a b" c',
    );
  });
});

describe('launchEditor', () => {
  it('opens URL editors through openUrl after ensureReady; the browser IDE skips ensureReady', async () => {
    const calls: string[] = [];
    const deps: LaunchDeps = {
      platform: 'linux',
      openUrl: async (u) => void calls.push(`open ${u}`),
      ensureReady: async () => void calls.push('ready'),
    };
    await launchEditor({ ...T, editor: 'vscode' }, deps);
    await launchEditor({ ...T, editor: 'browser' }, deps);
    expect(calls).toEqual([
      'ready',
      'open vscode://vscode-remote/ssh-remote+runcode.api/home/dev/my%20project',
      'open https://ide.example.com/ws/api',
    ]);
  });

  it('does not open anything when ensureReady fails', async () => {
    const calls: string[] = [];
    const launch = launchEditor(
      { ...T, editor: 'cursor' },
      {
        platform: 'linux',
        openUrl: async (u) => void calls.push(u),
        ensureReady: () => Promise.reject(new Error('pass expired')),
      },
    );
    await expect(launch).rejects.toThrow('pass expired');
    expect(calls).toEqual([]);
  });

  it('spawns the terminal detached, with an argument array and no shell', async () => {
    const { spawned, spawn } = recorder();
    const env = { PATH: '/usr/bin' };
    await launchEditor(
      { ...T, editor: 'terminal' },
      { platform: 'linux', env, probe: machine('/usr/bin/konsole'), spawn, openUrl: async () => {} },
    );
    expect(spawned).toEqual([
      {
        file: '/usr/bin/konsole',
        args: ['-e', 'ssh', 'runcode.api'],
        options: { detached: true, stdio: 'ignore', windowsHide: false, shell: false },
      },
    ]);
  });

  it('reports a terminal that could not be started', async () => {
    const { spawn } = recorder('ENOENT');
    const launch = launchEditor(
      { ...T, editor: 'terminal' },
      { platform: 'win32', env: { PATH: 'C:\\x' }, probe: machine(), spawn, openUrl: async () => {} },
    );
    await expect(launch).rejects.toMatchObject({
      code: 'launch_failed',
      message: expect.stringContaining('ENOENT'),
    });
  });

  it('refuses hostile input before anything is opened or spawned', async () => {
    const { spawned, spawn } = recorder();
    const opened: string[] = [];
    const deps: LaunchDeps = {
      platform: 'linux',
      env: { PATH: '/usr/bin' },
      probe: machine('/usr/bin/xterm'),
      spawn,
      openUrl: async (u) => void opened.push(u),
    };
    await expect(
      launchEditor({ ...T, name: 'api;rm -rf ~', editor: 'terminal' }, deps),
    ).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(
      launchEditor({ ...T, workdir: '/x/../../etc', editor: 'vscode' }, deps),
    ).rejects.toMatchObject({ code: 'invalid_argument' });
    await expect(
      launchEditor({ ...T, webIdeUrl: 'file:///etc/passwd', editor: 'browser' }, deps),
    ).rejects.toMatchObject({ code: 'bad_url' });
    expect(spawned).toEqual([]);
    expect(opened).toEqual([]);
  });
});
