// `runcode doctor` and the tray's Doctor screen: each check passed or failed, and how to fix it.
// Each check is its own small function (./doctor/); this puts them in order.
import fs from 'node:fs';
import type { DoctorCheck } from '../../shared/contract.js';
import { toErrorInfo } from '../errors.js';
import { knownHostsPath, ownSshConfigPath, sshConfigArgs } from '../paths.js';
import { SshConfigFile } from '../ssh/sshConfigFile.js';
import { unsupportedPins } from '../ssh/sshConfigVerify.js';
import type { ConnectionRecord } from '../state/connectionStore.js';
import { hostKeyAlias } from '../ssh/sshValues.js';
import { configFileCheck } from './doctor/configFileCheck.js';
import { gatewayCheck, keyCheck } from './doctor/connectionChecks.js';
import { hostConfigCheck } from './doctor/hostConfigCheck.js';
import { knownHostsCheck } from './doctor/knownHostsCheck.js';
import { localServerChecks } from './doctor/localServerChecks.js';
import { opensshCheck } from './doctor/opensshCheck.js';
import { runTool } from './doctor/runTool.js';
import { nativeCryptoCheck, signInChecks, sshNativeCrypto, tokenStoreCheck } from './doctor/sessionChecks.js';
import type { RuncodeApp } from './runcodeApp.js';
import { sshConfigOptedIn } from './sshConfigOptIn.js';
import { sshAlias } from '../../shared/workspaceName.js';

export { sshNativeCrypto };

export async function runDoctor(app: RuncodeApp): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  checks.push(opensshCheck(await runTool('ssh', ['-V']), await runTool('ssh-keygen', ['-?'])));
  checks.push(tokenStoreCheck(app.session.secretStore));
  checks.push(nativeCryptoCheck(sshNativeCrypto()));
  checks.push(...(await signInChecks(app.session)));
  checks.push(...localServerChecks((await app.session.endpoint().catch(() => undefined))?.endpoint));

  // Our own ssh config (what `runcode ssh` uses), and the opt-in block in the user's.
  const ownPath = ownSshConfigPath(app.opts.stateDir);
  const own = fs.existsSync(ownPath)
    ? await configFileCheck('config-own', 'Own ssh config', SshConfigFile.own(app.opts.stateDir))
    : undefined;
  if (own) checks.push(own.check);
  const optedIn = await sshConfigOptedIn(app).catch(() => false);
  const user = await configFileCheck('config-block', 'ssh config block', app.configFile);
  if (optedIn || !user.check.ok || user.entries.length) checks.push(user.check);

  let connections: ConnectionRecord[] = [];
  try {
    connections = await app.connections.list();
  } catch (e) {
    checks.push({
      id: 'connections',
      title: 'Connections state',
      ok: false,
      detail: toErrorInfo(e).message,
      fix: 'move the file aside (or delete it), then `runcode connect NAME` again',
    });
  }
  const kh = knownHostsPath(app.opts.stateDir);
  const omit = connections.length ? await unsupportedPins() : new Set<string>();
  for (const rec of connections) {
    const entry = app.connections.entry(rec);
    const alias = sshAlias(rec.name);
    if (own?.entries.some((e) => e.name === rec.name)) {
      const sshG = await runTool('ssh', ['-F', ownPath, '-G', alias]);
      checks.push(hostConfigCheck({ entry, sshG, where: 'own', configPath: ownPath, omit }));
    }
    if (user.entries.some((e) => e.name === rec.name)) {
      const sshG = await runTool('ssh', [...sshConfigArgs(app.opts.sshConfigPath), '-G', alias]);
      checks.push(hostConfigCheck({ entry, sshG, where: 'user', configPath: app.configFile.path, omit }));
    }
    const hkAlias = hostKeyAlias(rec.name);
    const found = await runTool('ssh-keygen', ['-F', hkAlias, '-f', kh]);
    checks.push(
      knownHostsCheck({
        name: rec.name,
        alias: hkAlias,
        expected: rec.pass.hostKeys,
        knownHostsPath: kh,
        found,
      }),
    );
    checks.push(await keyCheck(app, rec));
    checks.push(await gatewayCheck(app, rec));
  }
  return checks;
}
