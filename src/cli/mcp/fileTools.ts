// put_file / get_file over SFTP (core's sftpTransfer: temp file + rename, byte-exact). Content
// travels inline (text, or base64 for binary) up to INLINE_CAP, or from/to a local path the agent
// gives, which must be absolute: no tool touches a local file it was not pointed at (inline
// content passes through a private temporary directory that is removed at once).
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { RuncodeError } from '../../core/errors.js';
import { getFile, putFile, withOverwriteHint } from '../../core/ssh/sftpTransfer.js';
import { remotePath } from '../commands/putCommand.js';
import { formatBytes } from '../transferProgressLine.js';
import { guarded, textResult } from './agentError.js';
import type { McpContext } from './mcpContext.js';
import { remoteFileSize } from './remoteFileSize.js';

export const INLINE_CAP = 4 * 1024 * 1024;
export const PATH_CAP = 2 * 1024 * 1024 * 1024;

const workspace = z.string().optional().describe('workspace name; default: the attached one');
const overwrite = z.boolean().optional().describe('replace an existing file (refused otherwise)');

/** Core's refusal names its option `overwrite`, which is this tool's argument too: say it plainly. */
const withOverwriteTrue = withOverwriteHint('pass overwrite: true to replace it');

export function registerFileTools(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'put_file',
    {
      title: 'Upload a file to the workspace',
      description:
        'Write a file in the workspace from text content, base64 content (binary) or an absolute local path; byte-exact. Inline content up to 4 MiB.',
      inputSchema: {
        path: z.string().min(1).describe('remote file or directory; relative to the workdir unless absolute'),
        content: z.string().optional().describe('the file as text (UTF-8)'),
        content_base64: z.string().optional().describe('the file as base64, for binary content'),
        local_path: z.string().optional().describe('an absolute path of a local file to upload instead'),
        workspace,
        overwrite,
      },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    },
    guarded(async (a) => {
      const given = [a.content, a.content_base64, a.local_path].filter((v) => v !== undefined).length;
      if (given !== 1) throw badArg('give exactly one of content, content_base64 or local_path');
      const ws = await ctx.workspace(a.workspace);
      const opts = { overwrite: a.overwrite ?? false };
      const r = await ctx.links.use(ws, async (client, rec) => {
        const dest = remotePath(rec.pass.workdir, a.path);
        if (a.local_path !== undefined) {
          const local = absolute(a.local_path);
          const size = fs.statSync(local, { throwIfNoEntry: false })?.size ?? 0;
          if (size > PATH_CAP) throw tooLarge(local, size, PATH_CAP, 'upload it in parts');
          return putFile(client, local, dest, opts).catch(withOverwriteTrue);
        }
        const bytes =
          a.content !== undefined ? Buffer.from(a.content, 'utf8') : fromBase64(a.content_base64!);
        if (bytes.length > INLINE_CAP)
          throw tooLarge('the content', bytes.length, INLINE_CAP, 'pass local_path');
        return withTempDir(async (dir) => {
          const tmp = path.join(dir, path.posix.basename(dest) || 'file');
          fs.writeFileSync(tmp, bytes, { mode: 0o600 });
          fs.chmodSync(tmp, 0o644); // the remote file gets these bits: an ordinary file
          return putFile(client, tmp, dest, opts).catch(withOverwriteTrue);
        });
      });
      return textResult(`wrote ${formatBytes(r.bytes)} to ${ws}:${r.path}`, { path: r.path, bytes: r.bytes });
    }),
  );

  server.registerTool(
    'get_file',
    {
      title: 'Download a file from the workspace',
      description:
        'Read a file from the workspace: returned inline (text, or base64 when binary; up to 4 MiB), or saved to an absolute local path; byte-exact.',
      inputSchema: {
        path: z.string().min(1).describe('remote file; relative to the workdir unless absolute'),
        local_path: z
          .string()
          .optional()
          .describe('an absolute local file or directory to save it to instead'),
        encoding: z
          .enum(['auto', 'text', 'base64'])
          .optional()
          .describe('inline encoding (default auto: text when UTF-8)'),
        workspace,
        overwrite,
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    },
    guarded(async (a) => {
      const ws = await ctx.workspace(a.workspace);
      const local = a.local_path === undefined ? undefined : absolute(a.local_path);
      return ctx.links.use(ws, async (client, rec) => {
        const src = remotePath(rec.pass.workdir, a.path);
        const size = await remoteFileSize(client, src);
        if (local !== undefined) {
          if (size > PATH_CAP) throw tooLarge(src, size, PATH_CAP, 'split it first');
          const r = await getFile(client, src, local, { overwrite: a.overwrite ?? false }).catch(
            withOverwriteTrue,
          );
          return textResult(`saved ${formatBytes(r.bytes)} from ${ws}:${src} to ${r.path}`, {
            path: r.path,
            bytes: r.bytes,
          });
        }
        if (size > INLINE_CAP) throw tooLarge(src, size, INLINE_CAP, 'pass local_path to save it instead');
        const bytes = await withTempDir(async (dir) => {
          const r = await getFile(client, src, path.join(dir, 'file'));
          return fs.readFileSync(r.path);
        });
        const asText =
          a.encoding === 'text' || ((a.encoding ?? 'auto') === 'auto' && isUtf8(bytes) && !bytes.includes(0));
        const encoding = asText ? 'text' : 'base64';
        return textResult(asText ? bytes.toString('utf8') : bytes.toString('base64'), {
          path: src,
          bytes: bytes.length,
          encoding,
        });
      });
    }),
  );
}

function badArg(message: string): RuncodeError {
  return new RuncodeError('invalid_argument', message);
}

function absolute(p: string): string {
  if (!path.isAbsolute(p) || p.includes('\0'))
    throw badArg(`local_path must be an absolute path (got ${JSON.stringify(p.slice(0, 80))})`);
  return path.normalize(p);
}

function fromBase64(s: string): Buffer {
  const clean = s.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1)
    throw badArg('content_base64 is not base64');
  return Buffer.from(clean, 'base64');
}

function tooLarge(what: string, size: number, cap: number, hint: string): RuncodeError {
  return new RuncodeError(
    'too_large',
    `${what} is ${formatBytes(size)}, over the ${formatBytes(cap)} limit; ${hint}`,
  );
}

async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runcode-mcp-'));
  try {
    return await fn(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
