// Before/after proof that a refused operation touched nothing: a hash of every file under some
// paths, with modes, and `absent` for what does not exist.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * sha256 of every file under each path (recursively), keyed by path; `absent` for what does not
 * exist. Two equal snapshots mean not a byte (and no file) changed.
 */
export function fileSnapshot(paths: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (p: string) => {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(p);
    } catch {
      out[p] = 'absent';
      return;
    }
    if (st.isDirectory()) {
      out[p] = `dir ${(st.mode & 0o777).toString(8)}`;
      for (const name of fs.readdirSync(p).sort()) walk(path.join(p, name));
    } else {
      const hash = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
      out[p] = `${(st.mode & 0o777).toString(8)} ${hash}`;
    }
  };
  paths.forEach(walk);
  return out;
}
