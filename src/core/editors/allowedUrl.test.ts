import { describe, expect, it } from 'vitest';
import { assertAllowedUrl } from './allowedUrl.js';

describe('assertAllowedUrl', () => {
  it('lets through the editor schemes, https, and http on loopback only', () => {
    for (const url of [
      'vscode://vscode-remote/ssh-remote+runcode.api/w',
      'vscode-insiders://vscode-remote/ssh-remote+runcode.api/w',
      'cursor://vscode-remote/ssh-remote+runcode.api/home/dev/my%20project',
      'windsurf://vscode-remote/ssh-remote+runcode.api/w',
      'zed://ssh/runcode.api/w',
      'jetbrains-gateway://connect#host=runcode.api&port=22&user=ws-api&type=ssh&deploy=false&projectPath=%2Fhome%2Fdev%2Fmy%20project',
      'https://ide.example.com/ws',
      'http://127.0.0.1:3000/',
      'http://localhost:8080/x?y=1',
      'http://[::1]:5173/',
    ]) {
      expect(assertAllowedUrl(url)).toBe(url);
    }
  });

  it('lets an editor scheme through only in the exact shape the builder makes', () => {
    for (const url of [
      'vscode://vscode.git/clone?url=https://evil.example/repo',
      'vscode://vscode-remote/ssh-remote+evil.example/w',
      'vscode://vscode-remote/ssh-remote+runcode.api/w?windowId=_blank',
      'vscode://vscode-remote/ssh-remote+runcode.API/w',
      'vscode://vscode-remote/ssh-remote+runcode.api/../etc',
      'vscode://vscode-remote/ssh-remote+runcode.api/w%2F..%2F..',
      'vscode://vscode-remote/ssh-remote+runcode.api',
      'vscode://ms-vscode.remote-server/x',
      'cursor://anysphere.cursor-retrieval/x',
      'zed://ssh/evil.example/w',
      'zed://ssh/runcode.api/w#x',
      'jetbrains-gateway://connect#host=evil.example&port=22',
      'jetbrains-gateway://connect#host=runcode.api&port=22',
      'jetbrains-gateway://connect#host=runcode.api&port=2222&user=u&type=ssh&deploy=false&projectPath=%2Fw',
      'jetbrains-gateway://connect#host=runcode.api&port=22&user=u&type=ssh&deploy=true&projectPath=%2Fw',
      'jetbrains-gateway://connect#host=runcode.api&port=22&user=-oProxyCommand&type=ssh&deploy=false&projectPath=%2Fw',
    ]) {
      expect(() => assertAllowedUrl(url), url).toThrow(expect.objectContaining({ code: 'bad_url' }));
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
