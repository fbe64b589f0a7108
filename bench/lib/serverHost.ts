// The real local RunCode server (src/server/startServer.ts) as a child process for the figures:
// `node --import tsx bench/lib/serverHost.ts '<ServerOptions JSON>'` prints the ready line
// ({endpoint, caFile, gateway}) on stdout and runs until SIGTERM or until its parent goes away.
import { startServer } from '../../src/server/startServer.js';
import type { ServerOptions } from '../../src/server/startServer.js';

const opts = JSON.parse(process.argv[2] ?? '{}') as ServerOptions;
const server = await startServer({ autoApprove: true, ...opts });
process.stdout.write(
  `${JSON.stringify({ endpoint: server.endpoint, caFile: server.caFile, gateway: server.gateway })}\n`,
);
const stop = (): void => {
  void server.close().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.stdin.on('end', stop); // the parent went away
process.stdin.resume();
