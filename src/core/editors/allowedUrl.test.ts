import { describe, expect, it } from 'vitest';
import { assertAllowedUrl } from './allowedUrl.js';

describe('assertAllowedUrl', () => {
  it('lets through the editor schemes, https, and http on loopback only', () => {
    for (const url of [
      'vscode://vscode-remote/ssh-remote+runcode.api/w',
      'vscode-insiders://vscode-remote/ssh-remote+runcode.api/w',
      'cursor://vscode-remote/ssh-remote+runcode.api/w',
      'windsurf://vscode-remote/ssh-remote+runcode.api/w',
      'zed://ssh/runcode.api/w',
      'jetbrains-gateway://connect#host=runcode.api&port=22',
      'https://ide.example.com/ws',
      'http://127.0.0.1:3000/',
      'http://localhost:8080/x?y=1',
      'http://[::1]:5173/',
    ]) {
      expect(assertAllowedUrl(url)).toBe(url);
    }
  });

  it('refuses every other scheme and anything disguised', () => {
    for (const url of [
      'file:///etc/passwd',
      'javascript:alert(1)',
      'data:text/html,<script>',
      'smb://evil/share',
      'ms-msdt:/id',
      'x-terminal://run',
      'vbscript:x',
      'http://example.com/',
      'http://127.0.0.1.evil.com/',
      'http://192.168.1.10:3000/',
      'https://user:pw@example.com/',
      'java\nscript:alert(1)',
      'vs\tcode://x',
      ' https://example.com/',
      'https://exa mple.com/',
      'https://ex\u00e4mple.com/',
      '//example.com/x',
      'no scheme',
      '',
      'https:',
    ]) {
      expect(() => assertAllowedUrl(url), JSON.stringify(url)).toThrow(
        expect.objectContaining({ code: 'bad_url' }),
      );
    }
  });

  it('accepts the scheme in any case, as the OS would', () => {
    expect(assertAllowedUrl('HTTPS://example.com/')).toBe('HTTPS://example.com/');
    expect(() => assertAllowedUrl('FILE:///etc/passwd')).toThrow(/file: scheme/);
  });
});
