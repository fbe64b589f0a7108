// The small pages the browser shows after the OAuth redirect lands on our loopback listener.
// Self-contained (no scripts, images or fonts from anywhere) and locked down by CSP.
import type { ServerResponse } from 'node:http';

export type LoopbackPage = 'signed_in' | 'denied' | 'failed' | 'wrong_state' | 'not_found' | 'done';

const TEXT: Record<LoopbackPage, { status: number; title: string; body: string }> = {
  signed_in: { status: 200, title: 'Signed in', body: 'Signed in to RunCode. You can close this tab.' },
  denied: {
    status: 200,
    title: 'Sign-in cancelled',
    body: 'Sign-in to RunCode was cancelled. You can close this tab.',
  },
  failed: {
    status: 200,
    title: 'Sign-in failed',
    body: 'Sign-in to RunCode did not complete. Go back to RunCode for the reason, then try again.',
  },
  wrong_state: {
    status: 400,
    title: 'Not this sign-in',
    body: 'This link does not belong to the sign-in RunCode is waiting for. Use the link RunCode opened or printed.',
  },
  not_found: { status: 404, title: 'Not found', body: 'Nothing here.' },
  done: {
    status: 200,
    title: 'Already done',
    body: 'This sign-in has already been handled. You can close this tab.',
  },
};

export function sendLoopbackPage(res: ServerResponse, page: LoopbackPage): void {
  const t = TEXT[page];
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>RunCode: ${t.title}</title>` +
    `<style>body{font:16px system-ui,sans-serif;margin:4em auto;max-width:32em;padding:0 1em;color:#222}</style>` +
    `</head><body><h1>${t.title}</h1><p>${t.body}</p></body></html>\n`;
  res.writeHead(t.status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(Buffer.byteLength(html)),
    'cache-control': 'no-store',
    'content-security-policy':
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; frame-ancestors 'none'",
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    connection: 'close',
  });
  res.end(html);
}
