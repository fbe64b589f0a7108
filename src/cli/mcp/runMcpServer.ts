// The MCP server of `runcode mcp` over stdio: the tools, and the end of the session. When the
// client goes away (stdin closes), every command and forward this session started ends and the
// process exits.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { RuncodeApp } from '../../core/app/runcodeApp.js';
import { registerExecTool } from './execTool.js';
import { registerFileTools } from './fileTools.js';
import { registerForwardTools } from './forwardTools.js';
import { McpContext } from './mcpContext.js';
import { registerWorkspacesResource } from './workspacesResource.js';
import { registerWorkspaceTools } from './workspaceTools.js';

export const MCP_INSTRUCTIONS = `RunCode workspaces are cloud machines reached over SSH. Call connect once (start: true if it is stopped), then exec runs commands there; put_file/get_file move files; port_forward gives a local URL for a dev server.`;

export function buildMcpServer(ctx: McpContext, version: string): McpServer {
  const server = new McpServer({ name: 'runcode', version }, { instructions: MCP_INSTRUCTIONS });
  registerWorkspaceTools(server, ctx);
  registerExecTool(server, ctx);
  registerFileTools(server, ctx);
  registerForwardTools(server, ctx);
  ctx.onChange = registerWorkspacesResource(server, ctx);
  return server;
}

/** Serves until the client closes stdin (or SIGINT/SIGTERM), then cleans up. */
export async function runMcpServer(app: RuncodeApp, version: string): Promise<void> {
  const ctx = new McpContext(app);
  const server = buildMcpServer(ctx, version);
  let done = (): void => undefined;
  const ended = new Promise<void>((resolve) => (done = resolve));
  const transport = new StdioServerTransport();
  transport.onclose = () => done();
  process.stdin.once('end', () => done());
  process.stdin.once('close', () => done());
  process.once('SIGINT', () => done());
  process.once('SIGTERM', () => done());
  // A client that vanished mid-write: nothing more to say to it.
  process.stdout.on('error', () => done());
  await server.connect(transport);
  await ended;
  await ctx.dispose();
  await server.close().catch(() => undefined);
}
