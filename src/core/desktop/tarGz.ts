// A tiny ustar writer (regular files only) gzipped with zlib: enough for the diagnostics archive,
// readable by `tar -xzf` and every archive tool, with no dependency.
import zlib from 'node:zlib';

export interface TarEntry {
  /** Relative path, `/`-separated, under 100 bytes. */
  name: string;
  data: Buffer | string;
  mode?: number;
}

function header(name: string, size: number, mode: number, mtime: number): Buffer {
  const h = Buffer.alloc(512, 0);
  const put = (s: string, off: number, len: number) => h.write(s, off, len, 'utf8');
  const oct = (n: number, len: number) => n.toString(8).padStart(len - 1, '0');
  if (Buffer.byteLength(name) > 99) throw new Error(`tar entry name too long: ${name}`);
  put(name, 0, 100);
  put(`${oct(mode, 8)}\0`, 100, 8);
  put(`${oct(0, 8)}\0`, 108, 8); // uid
  put(`${oct(0, 8)}\0`, 116, 8); // gid
  put(`${oct(size, 12)}\0`, 124, 12);
  put(`${oct(Math.floor(mtime / 1000), 12)}\0`, 136, 12);
  put('        ', 148, 8); // checksum placeholder: spaces while summing
  put('0', 156, 1); // regular file
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const b of h) sum += b;
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  return h;
}

export function tarGz(entries: readonly TarEntry[], mtime: number = Date.now()): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const data = typeof e.data === 'string' ? Buffer.from(e.data, 'utf8') : e.data;
    parts.push(header(e.name, data.length, e.mode ?? 0o600, mtime), data);
    const pad = (512 - (data.length % 512)) % 512;
    if (pad) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(1024, 0)); // end of archive
  return zlib.gzipSync(Buffer.concat(parts));
}
