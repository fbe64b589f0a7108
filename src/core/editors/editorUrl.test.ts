import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestServer } from '../../server/testing/serverFixture.js';
import { ApiClient } from '../api/apiClient.js';
import { assertAllowedUrl } from './allowedUrl.js';
import type { EditorId } from './editorUrl.js';
import { EDITORS, editorUrl, encodePath } from './editorUrl.js';
import { EDITOR_TARGET } from '../testing/editorTarget.js';

const T = EDITOR_TARGET;

const EXPECTED: Record<Exclude<EditorId, 'terminal'>, string> = {
  vscode: 'vscode://vscode-remote/ssh-remote+runcode.api/home/dev/my%20project',
  'vscode-insiders': 'vscode-insiders://vscode-remote/ssh-remote+runcode.api/home/dev/my%20project',
  cursor: 'cursor://vscode-remote/ssh-remote+runcode.api/home/dev/my%20project',
  windsurf: 'windsurf://vscode-remote/ssh-remote+runcode.api/home/dev/my%20project',
  zed: 'zed://ssh/runcode.api/home/dev/my%20project',
  'jetbrains-gateway':
    'jetbrains-gateway://connect#host=runcode.api&port=22&user=ws-api&type=ssh&deploy=false&projectPath=%2Fhome%2Fdev%2Fmy%20project',
  browser: 'https://ide.example.com/ws/api',
};

describe('editorUrl', () => {
  it('builds the documented form for every editor, the workdir with spaces encoded', () => {
    for (const { id } of EDITORS) {
      if (id === 'terminal') {
        expect(editorUrl(id, T)).toBeUndefined();
        continue;
      }
      expect(editorUrl(id, T)).toBe(EXPECTED[id]);
      // Every URL we build passes our own allowlist.
      expect(assertAllowedUrl(editorUrl(id, T)!)).toBe(EXPECTED[id]);
    }
  });

  it('encodes each path segment and keeps the slashes', () => {
    expect(encodePath('/')).toBe('/');
    expect(encodePath('/a b/c#d/e?f/g&h/100%/\u00e9')).toBe('/a%20b/c%23d/e%3Ff/g%26h/100%25/%C3%A9');
    expect(editorUrl('zed', { ...T, workdir: '/srv/x+y' })).toBe('zed://ssh/runcode.api/srv/x%2By');
  });

  it('refuses hostile names', () => {
    for (const name of [
      '',
      'API',
      '-api',
      'a b',
      'a/b',
      'api\n',
      'api"',
      "a'b",
      'a.b',
      'a'.repeat(64),
      '../x',
      'ä',
    ]) {
      expect(() => editorUrl('vscode', { ...T, name }), name).toThrow(
        expect.objectContaining({ code: 'invalid_argument' }),
      );
    }
  });

  it('refuses hostile workdirs', () => {
    const bad = [
      '',
      'relative/dir',
      '/a/../etc',
      '/a/./b',
      '/a//b',
      '/a/',
      '/a\nb',
      '/a\u0000b',
      '/a\u202eb',
      '/a\u007fb',
      '/' + 'x'.repeat(1100),
    ];
    for (const workdir of bad) {
      for (const id of ['vscode', 'zed', 'jetbrains-gateway'] as const) {
        expect(() => editorUrl(id, { ...T, workdir }), `${id} ${JSON.stringify(workdir)}`).toThrow(
          expect.objectContaining({ code: 'invalid_argument' }),
        );
      }
    }
  });

  it('refuses a bad user for JetBrains Gateway and a browser IDE URL that is not https', () => {
    for (const user of [undefined, '', 'a b', 'x&host=evil', '-o']) {
      expect(() => editorUrl('jetbrains-gateway', { ...T, user })).toThrow(
        expect.objectContaining({ code: 'invalid_argument' }),
      );
    }
    for (const webIdeUrl of [
      undefined,
      'http://ide.example.com/',
      'javascript:alert(1)',
      'https://user:pw@ide.example.com/',
      'https://ide.example.com/a b',
      'file:///etc/passwd',
      // Not the control plane's own origin.
      'https://evil.example/phish',
      'https://ide.example.com:8443/ws/api',
      'https://ide.example.com.evil.example/ws/api',
    ]) {
      expect(() => editorUrl('browser', { ...T, webIdeUrl })).toThrow(
        expect.objectContaining({ code: 'bad_url' }),
      );
    }
    // Without the endpoint there is no origin to be on: refused.
    expect(() => editorUrl('browser', { ...T, endpoint: undefined })).toThrow(
      expect.objectContaining({ code: 'bad_url' }),
    );
  });

  it('gives the documented forms for a real workspace whose workdir has spaces', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode editors '));
    const srv = await startTestServer({ dataDir });
    try {
      const api = new ApiClient({ endpoint: srv.endpoint, ca: srv.ca, token: await srv.token() });
      try {
        const ws = (await api.listWorkspaces()).find((w) => w.name === 'api')!;
        expect(ws.workdir).toContain(' ');
        const enc = ws.workdir.split('/').map(encodeURIComponent).join('/');
        expect(enc).toContain('%20');
        const t = {
          name: ws.name,
          workdir: ws.workdir,
          user: ws.id,
          webIdeUrl: ws.webIdeUrl,
          endpoint: srv.endpoint,
        };
        expect(editorUrl('vscode', t)).toBe(`vscode://vscode-remote/ssh-remote+runcode.api${enc}`);
        expect(editorUrl('cursor', t)).toBe(`cursor://vscode-remote/ssh-remote+runcode.api${enc}`);
        expect(editorUrl('zed', t)).toBe(`zed://ssh/runcode.api${enc}`);
        expect(editorUrl('jetbrains-gateway', t)).toBe(
          `jetbrains-gateway://connect#host=runcode.api&port=22&user=ws-api&type=ssh&deploy=false&projectPath=${encodeURIComponent(ws.workdir)}`,
        );
        expect(editorUrl('browser', t)).toBe(ws.webIdeUrl);
        // Decoding gives back the exact workdir.
        expect(
          decodeURIComponent(
            new URL(editorUrl('vscode', t)!).pathname.replace(/^\/ssh-remote\+runcode\.api/, ''),
          ),
        ).toBe(ws.workdir);
      } finally {
        api.close();
      }
    } finally {
      await srv.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
