// `runcode server`: runs the local RunCode server in the foreground. Prints one JSON line on
// stdout when ready ({endpoint, caFile, gateway}); everything else goes to stderr.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import envPaths from 'env-paths';
import { toErrorInfo } from '../core/errors.js';
import { parseArgsMessage, UsageError } from './defineCommand.js';

const USAGE = `usage: runcode server [options]

Runs the local RunCode server (the local demo server): an HTTPS control plane and an SSH gateway.
It is not a sandbox: workspace commands run as your own user, in folders on this computer, not
isolated from each other.

Only you can sign in. Sign-in needs the owner secret in DATA/tls/owner-secret (a file only you can
read, beside the CA); 127.0.0.1 is reachable by every user of this machine, that file is not.
\`runcode login --endpoint URL --ca DATA/tls/ca.pem\` finds it beside the CA; any other client adds
it to /oauth/authorize as ?owner=SECRET. --auto-approve skips only the consent page, not the secret.

options:
  --data DIR          data directory (default: $RUNCODE_HOME/server, else the platform's data dir)
  --host H            address to listen on (default 127.0.0.1)
  --port N            control-plane port (default 0: any free port)
  --gateway-port N    SSH gateway port (default 0: any free port)
  --pass-ttl S        SSH pass lifetime in seconds (default 1800)
  --boot-delay MS     how long a workspace takes to start (default 1500)
  --auto-approve      approve sign-in without the consent page (PKCE still applies)
`;

function int(name: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max)
    throw new UsageError(`--${name} must be a whole number from ${min} to ${max}`);
  return Number(v);
}

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.RUNCODE_HOME
    ? path.join(path.resolve(env.RUNCODE_HOME), 'server')
    : path.join(envPaths('runcode', { suffix: '' }).data, 'server');
}

const OPTIONS = {
  data: { type: 'string' },
  host: { type: 'string' },
  port: { type: 'string' },
  'gateway-port': { type: 'string' },
  'pass-ttl': { type: 'string' },
  'boot-delay': { type: 'string' },
  'auto-approve': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parse(argv: string[]) {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: OPTIONS }));
  } catch (e) {
    // parseArgs's words ("argument is ambiguous") in ours, as every other command has them.
    throw new UsageError(parseArgsMessage(e, OPTIONS));
  }
  if (values.host !== undefined && !/^[A-Za-z0-9.:-]{1,253}$/.test(values.host))
    throw new UsageError('--host must be an IP address or host name');
  if (values.data === '') throw new UsageError('--data must not be empty');
  return {
    help: values.help ?? false,
    dataDir: path.resolve(values.data ?? defaultDataDir()),
    host: values.host,
    port: int('port', values.port, 0, 65535),
    gatewayPort: int('gateway-port', values['gateway-port'], 0, 65535),
    passTtlSeconds: int('pass-ttl', values['pass-ttl'], 1, 86_400 * 365),
    bootDelayMs: int('boot-delay', values['boot-delay'], 0, 3_600_000),
    autoApprove: values['auto-approve'] ?? false,
  };
}

export async function serverCommand(argv: string[]): Promise<number> {
  let o: ReturnType<typeof parse>;
  try {
    o = parse(argv);
  } catch (e) {
    process.stderr.write(`runcode server: ${(e as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (o.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const { tryLog } = await import('../core/logs/processLog.js');
  const log = (line: string) => {
    process.stderr.write(`[runcode server] ${line}\n`);
    tryLog('server', 'info', line);
  };
  let server;
  try {
    fs.mkdirSync(o.dataDir, { recursive: true, mode: 0o700 });
    // Loaded only now: the server's dependencies (x509, ssh2) cost most of a second to load.
    const { startServer } = await import('../server/startServer.js');
    server = await startServer({
      dataDir: o.dataDir,
      host: o.host,
      port: o.port,
      gatewayPort: o.gatewayPort,
      passTtlSeconds: o.passTtlSeconds,
      bootDelayMs: o.bootDelayMs,
      autoApprove: o.autoApprove,
      // --host is the explicit ask; startServer says loudly that this is not a sandbox.
      allowNonLoopback: o.host !== undefined,
      log,
    });
  } catch (e) {
    process.stderr.write(`runcode server: ${toErrorInfo(e).message}\n`);
    return 1;
  }
  // Listen for signals before saying we are ready: whoever reads the ready line may signal at once.
  const signal = new Promise<string>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  log('not a sandbox: workspace commands run as your own user. Ctrl-C stops the server.');
  process.stdout.write(
    JSON.stringify({ endpoint: server.endpoint, caFile: server.caFile, gateway: server.gateway }) + '\n',
  );
  const name = await signal;
  log(`${name}: shutting down`);
  await server.close();
  log('stopped');
  return 0;
}
