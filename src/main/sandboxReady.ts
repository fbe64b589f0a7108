// The local demo server's ready line (DESIGN.md, "The local RunCode server"): one JSON line on
// stdout, {endpoint, caFile, gateway}. Read from a child we started, but still checked before the
// app signs in to it: loopback HTTPS only, an absolute CA path.
import path from 'node:path';
import { RuncodeError } from '../core/errors.js';

export interface SandboxReady {
  endpoint: string;
  caFile: string;
  gateway: string;
}

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

export function parseSandboxReady(line: string): SandboxReady {
  const bad = (why: string) =>
    new RuncodeError('sandbox_failed', `the local demo server gave a bad ready line (${why})`);
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    throw bad('not JSON');
  }
  const o = json as Partial<SandboxReady> | null;
  if (!o || typeof o !== 'object') throw bad('not an object');
  const { endpoint, caFile, gateway } = o;
  if (typeof endpoint !== 'string' || typeof caFile !== 'string' || typeof gateway !== 'string')
    throw bad('endpoint, caFile and gateway must be strings');
  let u: URL;
  try {
    u = new URL(endpoint);
  } catch {
    throw bad('endpoint is not a URL');
  }
  if (u.protocol !== 'https:' || !LOOPBACK.has(u.hostname)) throw bad('endpoint must be https on loopback');
  if (!path.isAbsolute(caFile)) throw bad('caFile must be an absolute path');
  if (!/^(127\.0\.0\.1|\[::1\]|localhost):\d{1,5}$/.test(gateway)) throw bad('gateway must be loopback:port');
  return { endpoint, caFile, gateway };
}

/** Collects stdout chunks until the first full line; resolves with it. */
export class FirstLine {
  private buf = '';
  private done = false;
  /** Feeds a chunk; returns the first line once it is complete (once), else undefined. */
  push(chunk: Buffer | string): string | undefined {
    if (this.done) return undefined;
    this.buf += chunk.toString();
    const nl = this.buf.indexOf('\n');
    if (nl < 0) {
      if (this.buf.length > 64 * 1024)
        throw new RuncodeError('sandbox_failed', 'the local demo server wrote no ready line');
      return undefined;
    }
    this.done = true;
    return this.buf.slice(0, nl).trim();
  }
}
