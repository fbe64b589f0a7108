// `runcode mcp` (the built bin/runcode) driven by the MCP SDK's own Client over
// StdioClientTransport, in a CliSandbox's environment: for the integration tests and the bench.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { BIN } from './cliSandbox.js';

export interface McpSession {
  client: Client;
  /** What the server wrote on stderr so far. */
  stderr(): string;
  /** The server's pid (to check it exits). */
  pid(): number | null;
  call(
    name: string,
    args?: Record<string, unknown>,
    o?: { onProgress?: (message: string) => void },
  ): Promise<CallToolResult>;
  close(): Promise<void>;
}

export async function openMcpSession(env: NodeJS.ProcessEnv): Promise<McpSession> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN, 'mcp'],
    env: env as Record<string, string>,
    stderr: 'pipe',
  });
  let err = '';
  transport.stderr?.on('data', (b: Buffer) => (err += b.toString()));
  const client = new Client({ name: 'runcode-test', version: '0' });
  await client.connect(transport);
  return {
    client,
    stderr: () => err,
    pid: () => transport.pid,
    call: async (name, args = {}, o = {}) =>
      (await client.callTool({ name, arguments: args }, undefined, {
        timeout: 120_000,
        ...(o.onProgress ? { onprogress: (p) => o.onProgress!(p.message ?? '') } : {}),
      })) as CallToolResult,
    close: () => client.close(),
  };
}

/** The text of a tool result. */
export function text(r: CallToolResult): string {
  return r.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
}
