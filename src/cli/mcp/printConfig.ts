// `runcode mcp --print-config claude|codex|json`: how to register this install's `runcode mcp`
// with an agent, with the absolute path of bin/runcode (an agent's PATH may not have it).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type ConfigKind = 'claude' | 'codex' | 'json';
export const CONFIG_KINDS: readonly ConfigKind[] = ['claude', 'codex', 'json'];

/**
 * bin/runcode of this install: the script this process was started as (through npm's link, if
 * any), else the one above this file (dist/cli/mcp/, dist/bundle/chunks/ or src/cli/mcp/).
 */
export function installedBin(argv1: string | undefined = process.argv[1]): string {
  if (argv1 && path.basename(argv1) === 'runcode') {
    try {
      return fs.realpathSync(argv1);
    } catch {
      // gone meanwhile: fall back
    }
  }
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++, dir = path.dirname(dir)) {
    const bin = path.join(dir, 'bin', 'runcode');
    if (fs.existsSync(bin)) return bin;
  }
  return 'runcode';
}

export function printConfig(
  kind: ConfigKind,
  bin: string = installedBin(),
  env: NodeJS.ProcessEnv = process.env,
): string {
  // A non-default state dir goes along, so the agent sees the same sign-in as this shell.
  const extraEnv: Record<string, string> = env.RUNCODE_HOME ? { RUNCODE_HOME: env.RUNCODE_HOME } : {};
  const server = { command: bin, args: ['mcp'], ...(Object.keys(extraEnv).length ? { env: extraEnv } : {}) };
  switch (kind) {
    case 'json':
      return `${JSON.stringify({ mcpServers: { runcode: server } }, null, 2)}\n`;
    case 'claude': {
      const envFlags = Object.entries(extraEnv)
        .map(([k, v]) => ` -e ${k}=${sh(v)}`)
        .join('');
      return `claude mcp add --scope user${envFlags} runcode -- ${sh(bin)} mcp\n`;
    }
    case 'codex': {
      const envLine = Object.keys(extraEnv).length
        ? `env = { ${Object.entries(extraEnv)
            .map(([k, v]) => `${k} = ${toml(v)}`)
            .join(', ')} }\n`
        : '';
      return `# codex mcp add runcode -- ${sh(bin)} mcp\n# or in ~/.codex/config.toml:\n[mcp_servers.runcode]\ncommand = ${toml(bin)}\nargs = ["mcp"]\n${envLine}`;
    }
  }
}

function sh(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A TOML basic string (JSON's escaping is valid TOML for these characters). */
function toml(s: string): string {
  return JSON.stringify(s);
}
