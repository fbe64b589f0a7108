// The `runcode` CLI end to end (issue 3, "Done means"): sign in, list, start, connect, then the
// real OpenSSH client and git through nothing but the generated block; config-ssh's dry run,
// removal and restore around a user's own config; doctor; and logout leaving nothing behind.
// One server and one sandbox, the steps in order, as a user would run them.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient } from '../core/api/apiClient.js';
import { KeyStore } from '../core/keys/keyStore.js';
import { runProcess } from '../server/testing/runProcess.js';
import type { CliSandbox, CliServer } from './testing/cliSandbox.js';
import { startCliWorld, stopCliWorld } from './testing/cliWorld.js';
import { requireTool } from '../core/testing/requireTool.js';

// A user's config from before RunCode: leading Includes (ours goes before them) and a global
// `Host *` that must stay global.
const HEAD = '# my own ssh config\nInclude "~/.ssh/config.d/*"\n';
const REST =
  '\nHost *\n  ServerAliveInterval 42\n  AddKeysToAgent yes\n\nHost build\n  HostName build.example.com\n';
const ORIGINAL = HEAD + REST;

let server: CliServer;
let b: CliSandbox;

beforeAll(async () => {
  ({ server, b } = await startCliWorld({
    login: false,
    prepare: (sb) => fs.writeFileSync(sb.sshConfig, ORIGINAL, { mode: 0o600 }),
  }));
});
afterAll(() => stopCliWorld({ b, server }));

const config = () => fs.readFileSync(b.sshConfig, 'utf8');
const knownHosts = () => path.join(b.stateDir, 'known_hosts');
/** The private key the record for api names (keys are named by the key: `keys/api.<id>`). */
const key = () => {
  const rec = JSON.parse(fs.readFileSync(path.join(b.stateDir, 'connections.json'), 'utf8')) as {
    connections: { name: string; publicKey: string }[];
  };
  return new KeyStore(b.stateDir).paths('api', rec.connections.find((c) => c.name === 'api')!.publicKey)
    .privateKeyPath;
};

describe.sequential('runcode, start to finish', () => {
  it('login, then list and list --json', async () => {
    expect((await b.login(server)).code).toBe(0);
    const list = await b.run(['list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^NAME\s+STATE\s+SSH\s+PORTS$/m);
    expect(list.stdout).toMatch(/^api\s+stopped\s+-\s+\d+ \(demo web page\)$/m);
    const json = await b.run(['list', '--json']);
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.stdout) as {
      name: string;
      state: string;
      connected: boolean;
      alias: string;
    }[];
    expect(rows.find((w) => w.name === 'api')).toMatchObject({
      state: 'stopped',
      connected: false,
      alias: 'runcode.api',
    });
  });

  it('connect refuses a stopped workspace, start --wait boots it', async () => {
    const early = await b.run(['connect', 'api']);
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/api is stopped; start it first/);
    expect(config()).toBe(ORIGINAL);
    const start = await b.run(['start', 'api', '--wait']);
    expect(start.stderr).toMatch(/api: ready/);
    expect({ code: start.code, stdout: start.stdout }).toEqual({ code: 0, stdout: 'api: running\n' });
  });

  it('connect prints `ssh runcode.api`, leaves ~/.ssh/config alone; ssh and git work through our own config', async () => {
    const r = await b.run(['connect', 'api']);
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: 'ssh runcode.api\n' });
    // No opt-in yet: the user's file is byte for byte what it was; our own file has the host.
    expect(config()).toBe(ORIGINAL);
    expect(fs.readFileSync(b.ownSshConfig, 'utf8')).toMatch(/^Host runcode\.api$/m);
    expect((fs.statSync(b.ownSshConfig).mode & 0o777).toString(8)).toBe('600');
    const own = await b.ssh('runcode.api', ['echo', 'ok']);
    expect({ code: own.code, stdout: own.stdout, stderr: own.stderr }).toEqual({
      code: 0,
      stdout: 'ok\n',
      stderr: '',
    });
    // The opt-in: config-ssh writes the block for every connection.
    const opt = await b.run(['config-ssh']);
    expect({ code: opt.code, stderr: opt.stderr }).toEqual({ code: 0, stderr: '' });
    // The block comes first, before the leading Include (an included `Host *` would win over
    // it otherwise), then a blank line; the user's lines follow byte for byte.
    const text = config();
    expect(text.startsWith('# ------------ BEGIN RUNCODE')).toBe(true);
    expect(text.endsWith(`Match all\n# ------------ END RUNCODE ------------\n\n${ORIGINAL}`)).toBe(true);
    expect(fs.readFileSync(knownHosts(), 'utf8')).toMatch(/^runcode-gateway\.api ssh-ed25519 /m);
    expect((fs.statSync(key()).mode & 0o777).toString(8)).toBe('600');

    const ssh = await b.ssh('runcode.api', ['echo', 'ok'], [], b.sshConfig);
    expect(ssh.stderr).toBe('');
    expect({ code: ssh.code, stdout: ssh.stdout }).toEqual({ code: 0, stdout: 'ok\n' });

    const list = await b.run(['list']);
    expect(list.stdout).toMatch(/^api\s+running\s+runcode\.api\s+/m);

    // git over the same alias: push to a bare repo "in the workspace", clone it back.
    const env = { ...b.env, GIT_SSH_COMMAND: b.gitSshCommand, GIT_TERMINAL_PROMPT: '0' };
    const git = (args: string[], cwd = b.root) => runProcess('git', args, { env, cwd, timeoutMs: 20_000 });
    const bare = b.path('remote.git');
    expect((await git(['init', '-q', '--bare', bare])).code).toBe(0);
    const work = b.path('work');
    expect((await git(['init', '-q', '-b', 'main', work])).code).toBe(0);
    fs.writeFileSync(path.join(work, 'hello.txt'), 'hi\n');
    const id = ['-c', 'user.name=t', '-c', 'user.email=t@example.com'];
    expect((await git([...id, 'add', '.'], work)).code).toBe(0);
    expect((await git([...id, 'commit', '-qm', 'one'], work)).code).toBe(0);
    const push = await git(['push', '-q', `runcode.api:${bare}`, 'main'], work);
    expect(push.stderr).toBe('');
    expect(push.code).toBe(0);
    const clone = await git(['clone', '-q', '-b', 'main', `runcode.api:${bare}`, b.path('clone')]);
    expect(clone.code).toBe(0);
    expect(fs.readFileSync(b.path('clone', 'hello.txt'), 'utf8')).toBe('hi\n');
  });

  it('doctor: exit 0 and every check listed', async () => {
    requireTool('sftp-server'); // doctor fails without it (the sandbox's file transfer)
    const r = await b.run(['doctor']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const title of [
      'OpenSSH client',
      'Control plane reachable over HTTPS',
      'Signed in',
      'ssh config block',
      'runcode.api resolves to our settings',
      'Key for api',
      'Gateway answers for api with the pinned key',
    ])
      expect(r.stdout).toMatch(new RegExp(`^ok {2}\\s*${title}[^:\\n]*: `, 'm'));
    expect(r.stdout).not.toMatch(/FAIL/);
  });

  it('doctor: exit 1 with a fix when a `Host *` below our block adds an IdentityFile', async () => {
    const good = config();
    fs.writeFileSync(b.sshConfig, `${good}Host *\n  IdentityFile ~/.ssh/id_personal\n`);
    try {
      const r = await b.run(['doctor']);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(
        /^FAIL\s+runcode\.api resolves to our settings in [^:\n]*: .*identityfile ~\/\.ssh\/id_personal/m,
      );
      expect(r.stdout).toMatch(/id_personal/);
      expect(r.stdout).toMatch(/^\s+fix: .*Host \* !runcode\.\*/m);
    } finally {
      fs.writeFileSync(b.sshConfig, good);
    }
  });

  it('config-ssh: --dry-run shows a diff and changes nothing, --remove restores the original bytes, and back', async () => {
    const withBlock = fs.readFileSync(b.sshConfig);
    const dryRemove = await b.run(['config-ssh', '--remove', '--dry-run']);
    expect(dryRemove.code).toBe(0);
    expect(dryRemove.stdout).toMatch(/^-Host runcode\.api$/m);
    expect(dryRemove.stdout).not.toMatch(/^\+(?!\+\+ )/m); // only removals
    expect(fs.readFileSync(b.sshConfig)).toEqual(withBlock);

    const optIn = () =>
      (
        JSON.parse(fs.readFileSync(path.join(b.stateDir, 'settings.json'), 'utf8')) as {
          sshConfigOptIn?: boolean;
        }
      ).sshConfigOptIn;
    const remove = await b.run(['config-ssh', '--remove']);
    expect(remove.code).toBe(0);
    expect(config()).toBe(ORIGINAL);
    expect(optIn()).toBe(false); // the choice is shared: the tray's switch shows it off
    expect((await b.ssh('runcode.api', ['echo', 'ok'], [], b.sshConfig)).code).not.toBe(0);
    // RunCode's own config does not need the block.
    expect((await b.ssh('runcode.api', ['echo', 'ok'])).stdout).toBe('ok\n');
    // Off means off: a later connect leaves ~/.ssh/config alone.
    expect((await b.run(['connect', 'api'])).code).toBe(0);
    expect(config()).toBe(ORIGINAL);

    const dryAdd = await b.run(['config-ssh', '--dry-run']);
    expect(dryAdd.code).toBe(0);
    expect(dryAdd.stdout).toMatch(/^\+Host runcode\.api$/m);
    expect(dryAdd.stdout).toMatch(/^\+ {2}IdentitiesOnly yes$/m);
    expect(config()).toBe(ORIGINAL);

    const add = await b.run(['config-ssh']);
    expect(add.code).toBe(0);
    expect(add.stdout).toMatch(/1 host in /);
    expect(config()).toMatch(/^Host runcode\.api$/m);
    expect(optIn()).toBe(true);
    expect((await b.ssh('runcode.api', ['echo', 'ok'], [], b.sshConfig)).stdout).toBe('ok\n');
    // On: the block follows the next connect (the key it names changes).
    const blockBefore = config();
    expect((await b.run(['connect', 'api'])).code).toBe(0);
    expect(config()).not.toBe(blockBefore);
    expect(config()).toContain(key());
  });

  it('logout: no key, no pin, no block, no token, and the pass and token are revoked', async () => {
    // Copies of what logout deletes, to prove the server no longer honours them.
    const keyCopy = b.path('key-copy');
    fs.copyFileSync(key(), keyCopy);
    fs.chmodSync(keyCopy, 0o600);
    const khCopy = b.path('known_hosts-copy');
    fs.copyFileSync(knownHosts(), khCopy);
    const [host, port] = server.gateway.split(':') as [string, string];
    // prettier-ignore
    const args = [
      '-F', '/dev/null', '-i', keyCopy, '-p', port, '-l', 'ws-api',
      '-o', 'BatchMode=yes', '-o', 'IdentitiesOnly=yes', '-o', 'IdentityAgent=none',
      '-o', `UserKnownHostsFile=${khCopy}`, '-o', 'HostKeyAlias=runcode-gateway.api',
      '-o', 'StrictHostKeyChecking=yes', host, 'echo', 'ok',
    ];
    const direct = () => runProcess('ssh', args, { env: b.env });
    expect((await direct()).stdout).toBe('ok\n'); // the copy works while signed in
    const tokenPath = path.join(b.stateDir, 'secrets', 'token');
    const token = fs.existsSync(tokenPath) ? fs.readFileSync(tokenPath, 'utf8') : undefined;

    const r = await b.run(['logout']);
    expect(r.stderr).toBe('');
    expect({ code: r.code, stdout: r.stdout }).toEqual({
      code: 0,
      stdout: 'Signed out; 1 connection removed and the ssh config block taken out.\n',
    });
    expect(config()).toBe(ORIGINAL);
    expect(fs.readFileSync(b.ownSshConfig, 'utf8')).not.toMatch(/runcode\.api/);
    const keysDir = path.join(b.stateDir, 'keys');
    expect(fs.existsSync(keysDir) ? fs.readdirSync(keysDir) : []).toEqual([]);
    expect(fs.existsSync(knownHosts()) ? fs.readFileSync(knownHosts(), 'utf8') : '').not.toMatch(
      /runcode-gateway\.api/,
    );
    expect(fs.existsSync(tokenPath)).toBe(false);
    const list = await b.run(['list']);
    expect(list.code).toBe(1);
    expect(list.stderr).toMatch(/not signed in/);

    const after = await direct();
    expect(after.code).toBe(255);
    expect(after.stderr).toMatch(/Permission denied \(publickey\)/);
    if (token === undefined) {
      console.log('token kept in the OS keychain here: server-side token revocation not checked');
      return;
    }
    const api = new ApiClient({ endpoint: server.endpoint, caFile: server.caFile, token });
    try {
      await expect(api.me()).rejects.toMatchObject({ code: 'unauthorized' });
    } finally {
      api.close();
    }
  });
});
