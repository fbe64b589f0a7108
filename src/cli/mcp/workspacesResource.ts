// The resource runcode://workspaces: what list_workspaces returns, as JSON, for clients that show
// or subscribe to resources. A subscribed client is told when it changes: a connection made,
// renewed or dropped here or elsewhere (the CLI, the tray), a forward, a start or stop by a tool.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { SubscribeRequestSchema, UnsubscribeRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import type { McpContext } from './mcpContext.js';
import { listWorkspaces } from './workspaceTools.js';

export const WORKSPACES_URI = 'runcode://workspaces';

/** Registers the resource; returns `changed()`, to call when what it shows may have changed. */
export function registerWorkspacesResource(server: McpServer, ctx: McpContext): () => void {
  server.registerResource(
    'workspaces',
    WORKSPACES_URI,
    {
      title: 'RunCode workspaces',
      description: 'Your workspaces: state, connected, attached, ports and forwards (as list_workspaces)',
      mimeType: 'application/json',
    },
    async (uri) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: 'application/json',
          text: JSON.stringify(await listWorkspaces(ctx), null, 2),
        },
      ],
    }),
  );
  server.server.registerCapabilities({ resources: { subscribe: true, listChanged: true } });
  let subscribed = false;
  server.server.setRequestHandler(SubscribeRequestSchema, (req) => {
    if (req.params.uri === WORKSPACES_URI) subscribed = true;
    return {};
  });
  server.server.setRequestHandler(UnsubscribeRequestSchema, (req) => {
    if (req.params.uri === WORKSPACES_URI) subscribed = false;
    return {};
  });
  return () => {
    if (subscribed) void server.server.sendResourceUpdated({ uri: WORKSPACES_URI }).catch(() => undefined);
  };
}
