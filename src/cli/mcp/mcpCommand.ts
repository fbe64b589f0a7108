import fs from 'node:fs';
import path from 'node:path';
import { withCliApp } from '../cliApp.js';
import { defineCommand, UsageError } from '../defineCommand.js';
import { CONFIG_KINDS, installedBin, printConfig } from './printConfig.js';
import type { ConfigKind } from './printConfig.js';
import { runMcpServer } from './runMcpServer.js';

export const mcpCommand = defineCommand({
  name: 'mcp',
  usage: `usage: runcode mcp [--print-config claude|codex|json]

Serves the Model Context Protocol on stdin/stdout, so a coding agent (Claude Code, Codex, ...)
works on your workspaces: list_workspaces, connect, exec, put_file, get_file, port_forward,
stop_forward, start, stop. It uses this machine's sign-in (\`runcode login\`) and ends everything
it started when the agent goes away.

  --print-config KIND   print how to add this server to claude, codex, or a JSON mcpServers entry
`,
  options: { 'print-config': { type: 'string' } },
  run: async ({ values }) => {
    const kind = values['print-config'];
    if (kind !== undefined) {
      if (!CONFIG_KINDS.includes(kind as ConfigKind)) {
        throw new UsageError(`--print-config takes ${CONFIG_KINDS.join(', ')}, not '${kind.slice(0, 20)}'`);
      }
      process.stdout.write(printConfig(kind as ConfigKind));
      return 0;
    }
    await withCliApp((app) => runMcpServer(app, packageVersion()));
    return 0;
  },
});

function packageVersion(): string {
  try {
    const pkg = path.resolve(path.dirname(installedBin()), '..', 'package.json');
    return String((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version?: unknown }).version ?? '0.0.0');
  } catch {
    return '0.0.0';
  }
}
