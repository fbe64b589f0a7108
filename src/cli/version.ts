// `runcode --version`: the version in the package.json this CLI was built from. Found by walking
// up from this file, so it holds from the sources (tsx), from dist/ and from a bundle alike.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function cliVersion(from: string = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'runcode-tray' && pkg.version) return pkg.version;
    } catch {
      // not here; keep walking up
    }
    if (path.dirname(dir) === dir) return 'unknown';
  }
}
