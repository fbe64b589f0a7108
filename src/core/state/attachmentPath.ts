// Where the attached workspace is kept, apart from attachment.ts so that `runcode exec`'s fast
// path (src/cli/freshTarget.ts) can find it without loading zod and the state-file machinery.
import path from 'node:path';

export function attachedPath(stateDir: string): string {
  return path.join(stateDir, 'attached.json');
}
