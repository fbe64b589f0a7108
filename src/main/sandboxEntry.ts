// The local demo server as its own process ("Try the local demo server"; not a sandbox: its
// workspaces' commands run as the user): main forks this file with
// Electron's utilityProcess (out/main/sandbox.js), or plain Node runs it. Prints the ready line on
// stdout like `runcode server`, auto-approves sign-in (the app reads the owner secret from
// beside the CA, which only this user can; another local user gets nothing), and stops on SIGTERM/SIGINT or a 'stop' message from the parent.
import fs from 'node:fs';
import path from 'node:path';
import { startServer } from '../server/startServer.js';

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--data');
  const dataDir = i >= 0 ? process.argv[i + 1] : undefined;
  if (!dataDir || !path.isAbsolute(dataDir)) {
    process.stderr.write('local demo server: --data must name an absolute directory\n');
    process.exit(2);
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const log = (line: string) => process.stderr.write(`[local demo server] ${line}\n`);
  const server = await startServer({ dataDir, autoApprove: true, log });
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  (process as unknown as { parentPort?: ParentPort }).parentPort?.on('message', (e) => {
    if (e.data === 'stop') stop();
  });
  process.stdout.write(
    `${JSON.stringify({ endpoint: server.endpoint, caFile: server.caFile, gateway: server.gateway })}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`local demo server: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
