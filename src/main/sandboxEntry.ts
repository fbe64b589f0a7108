// The local sandbox server as its own process ("Try the local sandbox"): main forks this file with
// Electron's utilityProcess (out/main/sandbox.js), or plain Node runs it. Prints the ready line on
// stdout like `runcode server`, always auto-approves sign-in (it is the user's own machine and
// own process), and stops on SIGTERM/SIGINT or a 'stop' message from the parent.
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
    process.stderr.write('sandbox: --data must name an absolute directory\n');
    process.exit(2);
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const log = (line: string) => process.stderr.write(`[sandbox] ${line}\n`);
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
  process.stderr.write(`sandbox: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
