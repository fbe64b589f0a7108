// An agent's command through `runcode mcp`: one `exec` of `true` as an MCP tool call (the SDK's
// Client over stdio, the server keeping one ssh2 connection per workspace) against what a person
// types, `ssh -F <our config> runcode.NAME true` (OpenSSH doing the same exec through the same
// gateway, a handshake each time). Same run, same server, rounds alternate which goes first.
//
//   npm run bench -- mcp [--mcp-rounds 20]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CliSandbox, requireBuiltCli, startCliServer } from '../../src/cli/testing/cliSandbox.js';
import { openMcpSession, text } from '../../src/cli/testing/mcpSession.js';
import type { Row } from '../lib/report.js';
import { figureMain, measure, numberOption, progress } from '../lib/report.js';

function sshTrue(config: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn('ssh', ['-F', config, '-o', 'BatchMode=yes', 'runcode.api', 'true'], {
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    p.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    p.on('error', reject);
    p.on('close', (code) =>
      code === 0 ? resolve(performance.now() - t0) : reject(new Error(`ssh exited ${code}: ${stderr}`)),
    );
  });
}

export async function mcpFigures(): Promise<Row[]> {
  requireBuiltCli();
  const rounds = numberOption('mcp-rounds', 20);
  const server = await startCliServer({ autoApprove: true });
  const b = new CliSandbox('rc-bench-mcp-');
  const mcp = await (async () => {
    const login = await b.login(server);
    if (login.code !== 0) throw new Error(`login failed: ${login.stderr}`);
    return openMcpSession(b.env);
  })();
  try {
    const c = await mcp.call('connect', { name: 'api', start: true });
    if (c.isError) throw new Error(`connect failed: ${text(c)}`);
    // Our own ssh config (<state>/ssh_config) when core writes one, else the sandbox's ~/.ssh/config.
    const own = path.join(b.stateDir, 'ssh_config');
    const config = fs.existsSync(own) ? own : b.sshConfig;
    const execTrue = async (): Promise<number> => {
      const t0 = performance.now();
      const r = await mcp.call('exec', { command: 'true' });
      const ms = performance.now() - t0;
      if (r.isError || !text(r).startsWith('exit code 0')) throw new Error(`exec failed: ${text(r)}`);
      return ms;
    };
    const ours: number[] = [];
    const ref: number[] = [];
    progress(`mcp: ${rounds} rounds (+2 warm-up) of an MCP exec of true and ssh runcode.api true`);
    for (let r = -2; r < rounds; r++) {
      const pair =
        r % 2 === 0 ? [execTrue, () => sshTrue(config, b.env)] : [() => sshTrue(config, b.env), execTrue];
      const [first, second] = [await pair[0]!(), await pair[1]!()];
      if (r < 0) continue;
      if (r % 2 === 0) {
        ours.push(first);
        ref.push(second);
      } else {
        ref.push(first);
        ours.push(second);
      }
    }
    const m = measure(ours, 'ms');
    const s = measure(ref, 'ms');
    return [
      {
        figure: 'MCP `exec` of `true` (tool call to result) vs `ssh -F cfg runcode.NAME true`',
        ours: m,
        reference: s,
        target: '<= 1.00x',
        met: m.median <= s.median,
        note: `${rounds} rounds, order alternating; ratio of medians ${(m.median / s.median).toFixed(2)}x. The MCP server keeps one ssh2 connection per workspace open across calls, so a call is one exec channel; ssh pays a process start and a handshake each time (config: ${path.basename(config)}).`,
      },
    ];
  } finally {
    await mcp.close().catch(() => undefined);
    await b.dispose();
    await server.close();
  }
}

await figureMain('mcp', mcpFigures);
