// Every failure a tool meets, as the MCP tool error an agent can act on: the CLI's one line (with
// the CLI's flags turned into this server's tool arguments), never a stack.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { isRuncodeError } from '../../core/errors.js';
import { UsageError } from '../defineCommand.js';

/** The one line for `e`. */
export function agentMessage(e: unknown): string {
  if (isRuncodeError(e)) {
    if (e.code === 'not_running') {
      // The CLI's "api is stopped; start it first (`runcode start api`, ...)" in this server's terms.
      return e.message
        .replace(/; start it .*$/, '; call connect with start: true')
        .replace(/; wait for it .*$/, '; call connect, which waits until it runs');
    }
    return e.message;
  }
  if (e instanceof UsageError) return e.message;
  const message = e instanceof Error ? e.message : String(e);
  return `unexpected error: ${message.split('\n')[0]}`;
}

export function toolError(e: unknown, extra = ''): CallToolResult {
  return { content: [{ type: 'text', text: `${agentMessage(e)}${extra}` }], isError: true };
}

/** A tool handler whose every failure is a tool error result. */
export function guarded<A extends unknown[]>(
  fn: (...args: A) => Promise<CallToolResult>,
): (...args: A) => Promise<CallToolResult> {
  return async (...args) => {
    try {
      return await fn(...args);
    } catch (e) {
      return toolError(e);
    }
  };
}

/** A plain text result with its structured twin. */
export function textResult(text: string, structured?: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text }], ...(structured ? { structuredContent: structured } : {}) };
}
