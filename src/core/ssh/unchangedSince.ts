// The check an atomic write of the ssh config runs just before its rename (AtomicWriteOptions.
// unchanged): has anyone changed the file since we read it? Appends are not a change we must
// redo the splice for: they are handed back so the write keeps them.
import fs from 'node:fs/promises';

/**
 * True when `real` still holds exactly `seen.raw` (or is still absent), as the same file; the
 * bytes appended to it since (seen.raw grows to match); false after any other change.
 */
export async function unchangedSince(
  real: string,
  old: fs.FileHandle | undefined,
  seen: { raw: string | undefined },
): Promise<boolean | Buffer> {
  const st = await fs.stat(real).catch(() => undefined);
  if (!old || seen.raw === undefined) return st === undefined;
  if (!st || st.ino !== (await old.stat()).ino) return false;
  const now = await fs.readFile(real, 'latin1');
  if (now === seen.raw) return true;
  if (!now.startsWith(seen.raw)) return false;
  const extra = now.slice(seen.raw.length);
  seen.raw = now;
  return Buffer.from(extra, 'latin1');
}
