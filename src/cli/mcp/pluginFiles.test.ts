// The Claude Code plugin in the repo root starts `runcode mcp` and names a skill that exists.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const json = (p: string) =>
  JSON.parse(fs.readFileSync(path.join(ROOT, p), 'utf8')) as Record<string, unknown>;

describe('the Claude Code plugin', () => {
  it('has a manifest that points at the MCP config and the skill', () => {
    const plugin = json('.claude-plugin/plugin.json');
    expect(plugin.name).toBe('runcode');
    expect(plugin.version).toBe(json('package.json').version);
    expect(plugin.mcpServers).toBe('./.mcp.json');
    for (const s of plugin.skills as string[])
      expect(fs.existsSync(path.join(ROOT, s, 'SKILL.md'))).toBe(true);
    expect(json('.claude-plugin/marketplace.json')).toMatchObject({
      plugins: [{ name: 'runcode', source: './' }],
    });
  });

  it('starts `runcode mcp`', () => {
    expect(json('.mcp.json')).toEqual({ mcpServers: { runcode: { command: 'runcode', args: ['mcp'] } } });
  });

  it('has a skill with the frontmatter Claude Code reads, naming only tools the server has', () => {
    const skill = fs.readFileSync(path.join(ROOT, 'skills/runcode/SKILL.md'), 'utf8');
    const front = /^---\nname: runcode\ndescription: (.+)\n---\n/.exec(skill);
    expect(front?.[1]?.length).toBeGreaterThan(40);
    const tools = [
      'list_workspaces',
      'connect',
      'exec',
      'put_file',
      'get_file',
      'port_forward',
      'stop_forward',
    ];
    for (const t of tools) expect(skill, t).toContain(`\`${t}\``);
    const args = ['timeout_s', 'content_base64', 'local_path'];
    for (const [, name] of skill.matchAll(/`([a-z]+_[a-z_0-9]+)`/g))
      expect([...tools, ...args], name).toContain(name);
  });
});
