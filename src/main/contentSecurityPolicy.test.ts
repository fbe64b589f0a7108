import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, withCsp } from './contentSecurityPolicy.js';

describe('contentSecurityPolicy', () => {
  it('has no unsafe-inline, unsafe-eval or wildcard and locks down every fetch', () => {
    for (const csp of [contentSecurityPolicy(), contentSecurityPolicy('http://localhost:5173/')]) {
      expect(csp).not.toMatch(/unsafe-|\*|https?:/);
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).toContain("frame-ancestors 'none'");
    }
    expect(contentSecurityPolicy()).toContain("connect-src 'none'");
    expect(contentSecurityPolicy('http://localhost:5173/')).toContain(
      "connect-src 'self' ws://localhost:5173",
    );
  });

  it('is at least as strict as the renderer page own <meta> policy for scripts and styles', () => {
    const html = fs.readFileSync(path.resolve(import.meta.dirname, '../renderer/index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBeDefined();
    expect(meta).not.toMatch(/unsafe-/);
    expect(meta).toContain("script-src 'self'");
  });

  it('replaces a CSP header the response carried, whatever its case, and keeps the rest', () => {
    const out = withCsp({ 'content-security-policy': ['default-src *'], 'Content-Type': 'text/html' }, 'X');
    expect(out).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': ['X'] });
    expect(withCsp(undefined, 'Y')).toEqual({ 'Content-Security-Policy': ['Y'] });
  });
});
