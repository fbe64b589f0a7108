// Progress notifications for a tool call, sent only when the client asked for them (it gave a
// progressToken); a failed send never fails the call.
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';

export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** `(message) => void`; each call is one notification with a growing progress count. */
export function progressNotifier(extra: ToolExtra): (message: string) => void {
  const token = extra._meta?.progressToken;
  let n = 0;
  if (token === undefined) return () => undefined;
  return (message) => {
    n++;
    extra
      .sendNotification({
        method: 'notifications/progress',
        params: { progressToken: token, progress: n, message },
      })
      .catch(() => undefined);
  };
}
