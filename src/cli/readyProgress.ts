import type { ReadyProgress } from '../core/live/waitReady.js';
import { progress } from './defineCommand.js';

/** Prints each change of a wait's reason once, on stderr. */
export function readyProgress(name: string): (p: ReadyProgress) => void {
  let last = '';
  return (p) => {
    const line = p.phase === 'ready' ? `${name}: ready` : `${name}: ${p.reason}`;
    if (line !== last) progress(line);
    last = line;
  };
}
