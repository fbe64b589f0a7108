// The host entry tests write into ssh configs: a workspace on the gateway at 127.0.0.1:2222, its
// key and known_hosts under `stateDir`, its own host key alias unless `over` says otherwise.
import path from 'node:path';
import type { HostEntry } from '../ssh/hostEntry.js';

export function testHostEntry(name: string, stateDir: string, over: Partial<HostEntry> = {}): HostEntry {
  return {
    name,
    hostName: '127.0.0.1',
    port: 2222,
    user: `ws-${name}`,
    identityFile: path.join(stateDir, 'keys', name),
    knownHostsFile: path.join(stateDir, 'known_hosts'),
    hostKeyAlias: `runcode-gateway.${name}`,
    ...over,
  };
}
