// The popover's Content-Security-Policy, also sent as a response header (the renderer's <meta>
// tag covers file://, where there are no headers; the header covers the dev server). No
// 'unsafe-inline', no 'unsafe-eval': the page is our bundle and talks to nothing but the preload.

export function contentSecurityPolicy(devServerUrl?: string): string {
  const dev = devServerUrl ? new URL(devServerUrl) : undefined;
  // Vite's dev server pushes updates over a WebSocket on its own origin; nothing else connects.
  const connect = dev ? `'self' ws://${dev.host}` : "'none'";
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** onHeadersReceived: the response's headers with our CSP replacing any the response carried. */
export function withCsp(
  headers: Record<string, string[] | string> | undefined,
  csp: string,
): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (k.toLowerCase() === 'content-security-policy') continue;
    out[k] = Array.isArray(v) ? v : [v];
  }
  out['Content-Security-Policy'] = [csp];
  return out;
}
