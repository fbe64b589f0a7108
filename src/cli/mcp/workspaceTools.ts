// list_workspaces, connect, start, stop: the workspace side of `runcode list/connect/start/stop`.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { workspaceName } from '../ensureConnected.js';
import { guarded, textResult } from './agentError.js';
import type { McpContext } from './mcpContext.js';
import { progressNotifier } from './progressNotifier.js';

const name = z.string().describe('workspace name (a-z, 0-9, -), as list_workspaces shows it');

export function registerWorkspaceTools(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'list_workspaces',
    {
      title: 'List workspaces',
      description:
        'List your RunCode workspaces: name, state (running/stopped/...), whether this machine is connected, which one is attached, declared ports and your forwards.',
      inputSchema: {},
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: true },
    },
    guarded(async () => {
      const list = await listWorkspaces(ctx);
      return textResult(JSON.stringify(list, null, 2), { workspaces: list });
    }),
  );

  server.registerTool(
    'connect',
    {
      title: 'Connect to a workspace',
      description:
        'Connect to a workspace and attach it, so exec/put_file/get_file/port_forward use it by default; pass start: true to boot a stopped one. Waits until SSH answers.',
      inputSchema: {
        name,
        start: z.boolean().optional().describe('boot the workspace first if it is stopped'),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    guarded(async ({ name: n, start }, extra) => {
      const ws = workspaceName(n);
      const say = progressNotifier(extra);
      const { alias, workspace } = await ctx.app.connect(ws, {
        start: start ?? false,
        wait: true,
        signal: extra.signal,
        onProgress: say,
      });
      await ctx.attach(ws);
      await ctx.keepFresh();
      const info = {
        name: ws,
        state: workspace.state,
        attached: true,
        workdir: workspace.workdir,
        sshAlias: alias,
      };
      return textResult(
        `connected to ${ws} and attached it (workdir ${workspace.workdir}); exec, put_file, get_file and port_forward now use it`,
        info,
      );
    }),
  );

  server.registerTool(
    'start',
    {
      title: 'Start a workspace',
      description: 'Boot a stopped workspace (returns at once; connect waits until it is ready).',
      inputSchema: { name },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    guarded(async ({ name: n }) => {
      const ws = await ctx.app.start(workspaceName(n));
      ctx.onChange();
      return textResult(`${ws.name} is ${ws.state}`, { name: ws.name, state: ws.state });
    }),
  );

  server.registerTool(
    'stop',
    {
      title: 'Stop a workspace',
      description:
        'Power a workspace down; its running commands, shells and forwards end (files in the workdir stay).',
      inputSchema: { name },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    },
    guarded(async ({ name: n }) => {
      const wsName = workspaceName(n);
      const ws = await ctx.app.stop(wsName);
      ctx.links.drop(wsName);
      await Promise.all(
        ctx.forwards
          .list()
          .filter((f) => f.workspace === wsName)
          .map((f) => ctx.forwards.remove(f.workspace, f.remotePort).catch(() => undefined)),
      );
      ctx.onChange();
      return textResult(`${ws.name} is ${ws.state}`, { name: ws.name, state: ws.state });
    }),
  );
}

export async function listWorkspaces(ctx: McpContext) {
  const [workspaces, connections, attached] = await Promise.all([
    ctx.app.listWorkspaces(),
    ctx.app.connections.list(),
    ctx.attached(),
  ]);
  const connected = new Set(connections.map((c) => c.name));
  const forwards = ctx.forwards.list();
  return workspaces.map((w) => ({
    name: w.name,
    state: w.state,
    connected: connected.has(w.name),
    attached: attached === w.name,
    workdir: w.workdir,
    ports: w.ports.map((p) => ({ port: p.port, ...(p.label ? { label: p.label } : {}) })),
    forwards: forwards
      .filter((f) => f.workspace === w.name)
      .map((f) => ({ port: f.remotePort, url: f.url, state: f.state })),
  }));
}
