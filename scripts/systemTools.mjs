// The system tools the tests use: where each one is found, its version, and the one command that
// installs what is missing on this platform. Plain Node (no build, no TypeScript) because the
// preflight runs before anything is built; the tests (src/core/testing/requireTool.ts) and
// playwright.config.ts use the same lookups, so "found" means the same thing everywhere.
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

/** Where OpenSSH's sftp-server lives (the same list as the server's SFTP_SERVER_PATHS). */
export const SFTP_SERVER_PATHS = [
  '/usr/lib/openssh/sftp-server',
  '/usr/lib/sftp-server',
  '/usr/libexec/sftp-server',
  '/usr/libexec/openssh/sftp-server',
];

/**
 * Every tool, in table order. `required`: nothing runs without it (the preflight fails);
 * otherwise the tests that need it skip with a reason (or fail under RUNCODE_TEST_STRICT=1).
 * `pkg`: package name per installer; null where that platform has it built in or has none.
 */
export const TOOLS = [
  {
    name: 'ssh',
    required: true,
    for: 'every SSH test',
    pkg: { apt: 'openssh-client', dnf: 'openssh-clients', brew: null, winget: 'Microsoft.OpenSSH.Preview' },
  },
  {
    name: 'ssh-keygen',
    required: true,
    for: 'key tests',
    pkg: { apt: 'openssh-client', dnf: 'openssh-clients', brew: null, winget: 'Microsoft.OpenSSH.Preview' },
  },
  {
    name: 'git',
    required: true,
    for: 'git over the gateway',
    pkg: { apt: 'git', dnf: 'git', brew: 'git', winget: 'Git.Git' },
  },
  {
    name: 'scp',
    required: false,
    for: 'scp tests',
    pkg: { apt: 'openssh-client', dnf: 'openssh-clients', brew: null, winget: 'Microsoft.OpenSSH.Preview' },
  },
  {
    name: 'sftp',
    required: false,
    for: 'sftp tests',
    pkg: { apt: 'openssh-client', dnf: 'openssh-clients', brew: null, winget: 'Microsoft.OpenSSH.Preview' },
  },
  {
    name: 'sftp-server',
    required: false,
    for: 'SFTP: scp, sftp, put/get',
    pkg: {
      apt: 'openssh-sftp-server',
      dnf: 'openssh-server',
      brew: null,
      winget: 'Microsoft.OpenSSH.Preview',
    },
  },
  {
    name: 'rsync',
    required: false,
    for: 'rsync over the gateway',
    pkg: { apt: 'rsync', dnf: 'rsync', brew: 'rsync', winget: null },
  },
  {
    name: 'chromium',
    required: false,
    for: 'Playwright (the popover)',
    pkg: { apt: 'chromium', dnf: 'chromium', brew: '--cask chromium', winget: 'Hibbiki.Chromium' },
  },
  {
    name: 'fonts',
    required: false,
    for: 'text in screenshots',
    pkg: { apt: 'fonts-dejavu-core', dnf: 'dejavu-sans-fonts', brew: null, winget: null },
  },
];

/** Under RUNCODE_TEST_STRICT=1 (CI) a missing prerequisite fails instead of skipping. */
export function isStrict() {
  return process.env.RUNCODE_TEST_STRICT === '1';
}

function executable(file) {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** A command on PATH (with PATHEXT on Windows), or undefined. */
export function onPath(name) {
  const exts = process.platform === 'win32' ? (process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const file = path.join(dir, name + ext);
      if (executable(file)) return file;
    }
  }
  return undefined;
}

/** Debian's Chromium (Playwright's own browser download is not used): CHROMIUM_PATH, else PATH. */
export function findChromium() {
  if (process.env.CHROMIUM_PATH)
    return executable(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : undefined;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    const found = onPath(name);
    if (found) return found;
  }
  return undefined;
}

function findFonts() {
  if (process.platform !== 'linux') return 'system fonts';
  try {
    const n = execFileSync('fc-list', [], { encoding: 'utf8', timeout: 10_000 })
      .split('\n')
      .filter(Boolean).length;
    return n > 0 ? `${n} fonts` : undefined;
  } catch {
    return undefined;
  }
}

/** Where a tool is, or undefined when it is missing. */
export function findTool(name) {
  if (name === 'sftp-server') {
    if (process.platform === 'win32') return onPath('sftp-server');
    return SFTP_SERVER_PATHS.find(executable);
  }
  if (name === 'chromium') return findChromium();
  if (name === 'fonts') return findFonts();
  return onPath(name);
}

function firstLine(cmd, args) {
  // `ssh -V` prints its version on stderr; the others on stdout.
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 15_000 });
  const line = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n')[0];
  return line ? line.replace(/\s+/g, ' ').trim() : undefined;
}

/** A short version string for the table (undefined where the tool has no version flag). */
export function toolVersion(name, where) {
  switch (name) {
    case 'ssh':
      return firstLine(where, ['-V'])?.replace(/,.*$/, '');
    case 'rsync':
      return firstLine(where, ['--version'])?.replace(/ protocol.*$/, '');
    case 'git':
      return firstLine(where, ['--version']);
    case 'chromium':
      return firstLine(where, ['--version'])?.replace(/ built on.*$/, '');
    default:
      return undefined;
  }
}

/** Which installer this machine uses: apt, dnf, brew or winget (undefined: none we know). */
export function installer() {
  if (process.platform === 'darwin') return 'brew';
  if (process.platform === 'win32') return 'winget';
  if (onPath('apt-get')) return 'apt';
  if (onPath('dnf')) return 'dnf';
  return undefined;
}

/** The one command that installs these tools here (undefined when no package is known). */
export function installCommand(names, via = installer()) {
  const pkgs = [
    ...new Set(
      TOOLS.filter((t) => names.includes(t.name))
        .map((t) => t.pkg[via ?? 'apt'])
        .filter(Boolean),
    ),
  ];
  if (!pkgs.length || !via) return undefined;
  const sudo = process.platform !== 'win32' && process.getuid?.() !== 0 ? 'sudo ' : '';
  if (via === 'apt') return `${sudo}apt-get install -y ${pkgs.join(' ')}`;
  if (via === 'dnf') return `${sudo}dnf install -y ${pkgs.join(' ')}`;
  if (via === 'brew') return pkgs.map((p) => `brew install ${p}`).join(' && ');
  return pkgs.map((p) => `winget install ${p}`).join(' && ');
}

/** Why a test needing `name` cannot run here ("rsync not installed: apt-get install -y rsync"). */
export function missingReason(name) {
  if (findTool(name)) return undefined;
  const what = `${name} not installed`;
  const cmd = installCommand([name]);
  return cmd ? `${what}: ${cmd}` : `${what} (no package known for this platform)`;
}
