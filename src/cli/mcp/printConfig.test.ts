import { describe, expect, it } from 'vitest';
import { installedBin, printConfig } from './printConfig.js';

describe('printConfig', () => {
  const bin = '/opt/run code/bin/runcode';

  it('prints each agent its own snippet with the absolute path', () => {
    expect(printConfig('claude', bin, {})).toBe(
      `claude mcp add --scope user runcode -- '/opt/run code/bin/runcode' mcp\n`,
    );
    expect(printConfig('codex', bin, {})).toContain(
      `[mcp_servers.runcode]\ncommand = "/opt/run code/bin/runcode"\nargs = ["mcp"]\n`,
    );
    expect(JSON.parse(printConfig('json', bin, {}))).toEqual({
      mcpServers: { runcode: { command: bin, args: ['mcp'] } },
    });
  });

  it('carries a non-default state dir along', () => {
    const env = { RUNCODE_HOME: '/tmp/rc "home"' };
    expect(JSON.parse(printConfig('json', bin, env)).mcpServers.runcode.env).toEqual(env);
    expect(printConfig('codex', bin, env)).toContain('env = { RUNCODE_HOME = "/tmp/rc \\"home\\"" }');
    expect(printConfig('claude', bin, env)).toContain(`-e RUNCODE_HOME='/tmp/rc "home"' runcode`);
  });

  it('finds bin/runcode of this checkout', () => {
    expect(installedBin()).toMatch(/\/bin\/runcode$/);
  });
});
