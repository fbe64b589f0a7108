// `runcode doctor` and the tray's Doctor screen: each check passed or failed, and how to fix it.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import type { DoctorCheck } from '../../shared/contract.js';
import { toErrorInfo } from '../errors.js';
import { sshConfigArgs } from '../paths.js';
import type { RuncodeApp } from './runcodeApp.js';

const run = (cmd: string, args: string[]) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(cmd, args, { timeout: 10_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 127) : 0;
      resolve({ code, stdout, stderr });
    });
  });

/** ssh2's native crypto binding: without it ssh2 falls back to JavaScript at ~60-70% speed. */
export function sshNativeCrypto(): boolean {
  try {
    const require = createRequire(import.meta.url);
    return Boolean(
      (require('ssh2/lib/protocol/crypto.js') as { bindingAvailable?: boolean }).bindingAvailable,
    );
  } catch {
    return false;
  }
}

export async function runDoctor(app: RuncodeApp): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  const add = (c: DoctorCheck) => checks.push(c);

  const ssh = await run('ssh', ['-V']);
  const keygen = await run('ssh-keygen', ['-?']);
  add({
    id: 'openssh',
    title: 'OpenSSH client',
    ok: ssh.code === 0 && keygen.code !== 127,
    detail: ssh.code === 0 ? ssh.stderr.trim() || ssh.stdout.trim() : 'ssh was not found on PATH',
    fix: 'install the OpenSSH client (macOS and most Linux ship it; on Windows: Settings > Apps > Optional features > OpenSSH Client)',
  });

  const store = app.session.secretStore;
  add({
    id: 'token-store',
    title: 'Token storage',
    ok: true,
    detail: store.warning ? `${store.kind}: ${store.warning}` : `${store.kind}`,
  });

  add({
    id: 'native-crypto',
    title: 'Fast SSH crypto (native binding)',
    ok: true,
    detail: sshNativeCrypto() ? 'active' : 'not built: forwards run at about 60-70% of the speed',
  });

  const ep = await app.session.endpoint();
  if (!ep) {
    add({
      id: 'endpoint',
      title: 'Control plane',
      ok: false,
      detail: 'not signed in',
      fix: 'run `runcode login --endpoint https://...`',
    });
  } else {
    try {
      const me = await (await app.session.api()).me();
      add({ id: 'endpoint', title: 'Control plane reachable over HTTPS', ok: true, detail: ep.endpoint });
      add({ id: 'token', title: 'Signed in', ok: true, detail: `${me.name} <${me.email}>` });
    } catch (e) {
      const err = toErrorInfo(e);
      const reachable = err.code === 'unauthorized';
      add({
        id: 'endpoint',
        title: 'Control plane reachable over HTTPS',
        ok: reachable,
        detail: reachable ? ep.endpoint : err.message,
        ...(reachable ? {} : { fix: 'check the network, the endpoint, and --ca for a private CA' }),
      });
      if (reachable || err.code === 'not_signed_in') {
        add({ id: 'token', title: 'Signed in', ok: false, detail: err.message, fix: 'run `runcode login`' });
      }
    }
  }

  try {
    const entries = await app.configFile.read();
    add({
      id: 'config-block',
      title: 'ssh config block',
      ok: true,
      detail: `${entries.length} host(s) in ${app.configFile.path}`,
    });
  } catch (e) {
    add({
      id: 'config-block',
      title: 'ssh config block',
      ok: false,
      detail: toErrorInfo(e).message,
      fix: `fix or remove the RunCode markers in ${app.configFile.path}, then run \`runcode config-ssh\``,
    });
  }

  let connections: Awaited<ReturnType<typeof app.connections.list>> = [];
  try {
    connections = await app.connections.list();
  } catch (e) {
    add({
      id: 'connections',
      title: 'Connections state',
      ok: false,
      detail: toErrorInfo(e).message,
      fix: 'move the file aside (or delete it), then `runcode connect NAME` again',
    });
  }
  for (const rec of connections) {
    const want = app.connections.entry(rec);
    const alias = `runcode.${rec.name}`;
    const g = await run('ssh', [...sshConfigArgs(app.opts.sshConfigPath), '-G', alias]);
    const eff = new Map<string, string[]>();
    for (const line of g.stdout.split('\n')) {
      const i = line.indexOf(' ');
      if (i > 0) eff.set(line.slice(0, i), [...(eff.get(line.slice(0, i)) ?? []), line.slice(i + 1)]);
    }
    const first = (k: string) => eff.get(k)?.[0];
    const wrong: string[] = [];
    const expect = (k: string, v: string) => {
      if (first(k) !== v) wrong.push(`${k} is ${first(k) ?? 'unset'}, not ${v}`);
    };
    expect('hostname', want.hostName);
    expect('port', String(want.port));
    expect('user', want.user);
    expect('hostkeyalias', want.hostKeyAlias);
    expect('stricthostkeychecking', 'true');
    expect('identitiesonly', 'yes');
    expect('identityagent', 'none');
    // IdentityFile adds up across matching blocks: a user's `Host *` below ours would make ssh
    // offer their personal keys to the gateway if ours were refused.
    const ids = eff.get('identityfile') ?? [];
    if (ids[0] !== want.identityFile) wrong.push('identityfile is not our key');
    const extra = ids.filter((f) => f !== want.identityFile);
    if (extra.length)
      wrong.push(
        `other keys would be offered too (${extra.join(', ')}): make their Host line \`Host * !runcode.*\``,
      );
    for (const k of ['proxycommand', 'proxyjump', 'localcommand', 'remotecommand']) {
      if (eff.has(k) && first(k) !== 'none') wrong.push(`${k} is set for this host by another block`);
    }
    if (!(eff.get('userknownhostsfile')?.[0] ?? '').includes(want.knownHostsFile))
      wrong.push('userknownhostsfile is not ours');
    add({
      id: `config-wins:${rec.name}`,
      title: `${alias} resolves to our settings`,
      ok: g.code === 0 && wrong.length === 0,
      detail:
        g.code !== 0
          ? g.stderr.trim()
          : wrong.length
            ? wrong.join('; ')
            : 'ssh -G shows our options in effect',
      fix: 'an earlier Host or Match block overrides ours; move it below the RunCode block, or run `runcode config-ssh`',
    });

    const key = await app.keys.check(rec.name, rec.publicKey);
    add({
      id: `key:${rec.name}`,
      title: `Key for ${rec.name}`,
      ok: key.ok,
      detail: key.ok ? `${key.privateKeyPath} (0600)` : key.problems.join('; '),
      fix: `run \`runcode connect ${rec.name}\` for a fresh key`,
    });

    const expires = Date.parse(rec.pass.expiresAt);
    const left = Math.round((expires - app.clock.now()) / 60_000);
    try {
      await app.probe(rec.name);
      add({
        id: `gateway:${rec.name}`,
        title: `Gateway answers for ${rec.name} with the pinned key`,
        ok: true,
        detail: `pass valid for ${left} more minute(s)`,
      });
    } catch (e) {
      add({
        id: `gateway:${rec.name}`,
        title: `Gateway answers for ${rec.name} with the pinned key`,
        ok: false,
        detail: toErrorInfo(e).message,
        fix:
          left <= 0
            ? `the pass expired: run \`runcode connect ${rec.name}\` (and keep \`runcode agent\` or the tray running)`
            : 'is the workspace running? `runcode list`',
      });
    }
  }
  return checks;
}
