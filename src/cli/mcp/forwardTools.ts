// port_forward / stop_forward: a workspace port on 127.0.0.1 through core's ForwardManager (the
// machinery of `runcode port-forward`), alive until stop_forward or the end of the session.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { RuncodeError } from '../../core/errors.js';
import { parsePortSpec } from '../commands/portForwardCommand.js';
import { ensureConnected } from '../ensureConnected.js';
import { guarded, textResult } from './agentError.js';
import type { McpContext } from './mcpContext.js';

const workspace = z.string().optional().describe('workspace name; default: the attached one');

/** The CLI's PORT[:LOCAL] check, for numbers that came as JSON. */
function portSpec(ws: string, port: number, local: number | undefined) {
  return parsePortSpec(ws, local === undefined ? String(port) : `${port}:${local}`);
}

export function registerForwardTools(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'port_forward',
    {
      title: 'Forward a workspace port',
      description:
        'Forward a port of the workspace (say a dev server on 3000) to 127.0.0.1 here and return its local URL; lasts until stop_forward or the end of this session.',
      inputSchema: {
        port: z.number().describe('the port in the workspace (1-65535)'),
        local: z.number().optional().describe('the local port (default: the same one, or the next free one)'),
        workspace,
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    guarded(async ({ port, local, workspace: w }) => {
      const ws = await ctx.workspace(w);
      const wanted = portSpec(ws, port, local);
      await ensureConnected(ctx.app, ws);
      await ctx.keepFresh();
      const f = await ctx.forwards.add(wanted);
      const asked = wanted.localPort ?? wanted.remotePort;
      const note = f.localPort !== asked ? ` (${asked} was taken)` : '';
      return textResult(`${f.url} -> ${ws}:${f.remotePort}${note}`, {
        url: f.url,
        workspace: ws,
        port: f.remotePort,
        localPort: f.localPort,
        state: f.state,
      });
    }),
  );

  server.registerTool(
    'stop_forward',
    {
      title: 'Stop a port forward',
      description: 'Stop forwarding a workspace port that port_forward started.',
      inputSchema: { port: z.number().describe('the port in the workspace'), workspace },
      annotations: {
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: false,
      },
    },
    guarded(async ({ port, workspace: w }) => {
      const ws = await ctx.workspace(w);
      const { remotePort } = portSpec(ws, port, undefined);
      if (!ctx.forwards.get(ws, remotePort)) {
        const open = ctx.forwards.list().map((f) => `${f.workspace}:${f.remotePort}`);
        throw new RuncodeError(
          'not_found',
          `no forward of ${ws}:${remotePort} (open: ${open.join(', ') || 'none'})`,
        );
      }
      await ctx.forwards.remove(ws, remotePort);
      return textResult(`stopped forwarding ${ws}:${remotePort}`, { workspace: ws, port: remotePort });
    }),
  );
}
