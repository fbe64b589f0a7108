// A temp directory for a test, by its real path: os.tmpdir() may sit behind a link (macOS's
// /var -> /private/var), and code that resolves links (the config writer, locks) would otherwise
// name paths the test does not expect. The caller removes it (fs.rmSync, recursive).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function makeTempDir(label: string): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), label)));
}
