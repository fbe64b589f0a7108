// The core as one long-running process (what the tray's main process or `runcode agent` holds),
// for the memory figure: N workspaces connected, the refresher and connection watch running, and
// forwards through ForwardManager. Plain JS so it runs on a tsc build of src/ with bare `node`
// (as shipped); `root` is the build's directory.
//
//   node bench/lib/coreHost.mjs '{"root":"/abs/build","endpoint":..,"caFile":..,"token":..,"connect":50,
//     "forwards":[{"workspace":"ws-0","port":8080}],"stateDir":..,"sshConfig":..}'
// prints {"ready":true,"localPorts":[...]} once set up; a line "mem" on stdin answers
// process.memoryUsage(); on a line "exit" it disposes
// everything, prints {"done":true,...} and exits.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { pathToFileURL } from 'node:url';

const o = JSON.parse(process.argv[2]);
const base = pathToFileURL(`${o.root}/`);
const load = (p) => import(new URL(p, base).href);
const { RuncodeApp } = await load('core/app/runcodeApp.js');
const { MemorySecretStore } = await load('core/secrets/memorySecretStore.js');
const { SettingsFile } = await load('core/state/settingsFile.js');
const { ForwardManager } = await load('core/forwards/forwardManager.js');

fs.mkdirSync(path.dirname(o.sshConfig), { recursive: true, mode: 0o700 });
const app = new RuncodeApp({
  stateDir: o.stateDir,
  sshConfigPath: o.sshConfig,
  secrets: new MemorySecretStore(),
  settings: new SettingsFile(o.stateDir),
});
await app.session.adoptToken(o.endpoint, o.caFile, o.token);
for (let i = 0; i < o.connect; i++) await app.connect(`ws-${i}`);
await app.startRefresher();
const stopWatching = app.watchConnections();
const fm = new ForwardManager({ getTarget: (ws) => app.connections.target(ws) });
const localPorts = [];
for (const f of o.forwards)
  localPorts.push((await fm.add({ workspace: f.workspace, remotePort: f.port })).localPort);
process.stdout.write(`${JSON.stringify({ ready: true, localPorts })}\n`);

readline.createInterface({ input: process.stdin }).on('line', async (line) => {
  if (line.trim() === 'mem') {
    process.stdout.write(`${JSON.stringify(process.memoryUsage())}\n`);
    return;
  }
  if (line.trim() !== 'exit') return;
  const heap = process.memoryUsage();
  stopWatching();
  await fm.dispose();
  await app.dispose();
  process.stdout.write(`${JSON.stringify({ done: true, heapUsed: heap.heapUsed, rss: heap.rss })}\n`);
  process.exit(0);
});
