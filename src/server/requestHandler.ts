// The control plane's one request handler: routes protocol v1's paths, and turns every failure
// into protocol v1's error shape (a 5xx never carries internals).
import type http from 'node:http';
import type { ApiContext } from './apiRoutes.js';
import { handleApi } from './apiRoutes.js';
import { HttpError, sendError, sendHtml, sendJson } from './httpUtil.js';
import type { OAuthServer } from './oauthServer.js';
import type { SftpServerStatus } from './sftpServerStatus.js';

export interface HandlerContext extends ApiContext {
  oauth: OAuthServer;
  /** Whether the gateway can serve SFTP here: `{path}` or `{install}` (src/server/sftpServerStatus.ts). */
  sftpServer: () => SftpServerStatus;
  log: (line: string) => void;
}

function only(method: string | undefined, allowed: string): void {
  if (method !== allowed)
    throw new HttpError(405, 'method_not_allowed', `use ${allowed} here`, { allow: allowed });
}

async function route(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  ctx: HandlerContext,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'https://localhost');
  const path = url.pathname;
  if (path === '/oauth/authorize') {
    if (req.method === 'GET') return ctx.oauth.authorize(req, res, url);
    only(req.method, 'POST');
    return ctx.oauth.decide(req, res);
  }
  if (path === '/oauth/token') {
    only(req.method, 'POST');
    return ctx.oauth.token(req, res);
  }
  if (path === '/oauth/revoke') {
    only(req.method, 'POST');
    return ctx.oauth.revoke(req, res);
  }
  if (path.startsWith('/api/v1/')) return handleApi(req, res, path, ctx);
  const ide = /^\/ide\/([^/]+)$/.exec(path);
  if (ide && req.method === 'GET') {
    // The local server has no browser IDE; webIdeUrl lands here rather than on a 404.
    return sendHtml(
      res,
      200,
      '<!doctype html><meta charset="utf-8"><title>RunCode</title><p>The local RunCode server has no browser IDE: ' +
        'connect over SSH instead (<code>runcode connect NAME</code>).</p>\n',
    );
  }
  if (path === '/' && req.method === 'GET')
    // Public facts only (anyone on this machine may ask): what this is, and whether file
    // transfer works here (`sftpServer.install` says how to fix it), for doctor.
    return sendJson(res, 200, {
      service: 'runcode-local-server',
      protocol: 'v1',
      sftpServer: ctx.sftpServer(),
    });
  throw new HttpError(404, 'not_found', `no such call: ${path.slice(0, 100)}`);
}

export function createRequestHandler(ctx: HandlerContext): http.RequestListener {
  return (req, res) => {
    route(req, res, ctx).catch((e: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (e instanceof HttpError) {
        sendError(res, e);
        return;
      }
      ctx.log(`internal error on ${req.method} ${req.url}: ${(e as Error)?.stack ?? String(e)}`);
      sendError(res, new HttpError(500, 'internal', 'the server failed to answer this request; see its log'));
    });
  };
}
