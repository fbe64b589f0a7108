// `runcode logs [-f]`: the last lines of each process kind's log (tray, CLI/agent, local server),
// and with -f what is written from then on (a rotated file is followed into its successor).
import fs from 'node:fs';
import { LOG_KINDS, logFile, logsDir, type LogKind } from '../../core/logs/logger.js';
import { stateDir } from '../../core/paths.js';
import { wholeNumberFlag } from '../numericFlag.js';
import { defineCommand, UsageError } from '../defineCommand.js';

function lastLines(file: string, n: number): { text: string; size: number } {
  const buf = fs.readFileSync(file);
  const lines = buf.toString('utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return {
    text: lines
      .slice(-n)
      .map((l) => `${l}\n`)
      .join(''),
    size: buf.length,
  };
}

/** Prints what was appended since `from`; a file that shrank was rotated: start it over. */
function readFrom(file: string, from: number): number {
  let size: number;
  try {
    size = fs.statSync(file).size;
  } catch {
    return 0;
  }
  const start = size < from ? 0 : from;
  if (size === start) return size;
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(size - start);
    fs.readSync(fd, buf, 0, buf.length, start);
    process.stdout.write(buf);
  } finally {
    fs.closeSync(fd);
  }
  return size;
}

export const logsCommand = defineCommand({
  name: 'logs',
  usage: `usage: runcode logs [-f] [-n LINES] [--kind tray|cli|server] [--path]

Shows the last lines of RunCode's logs: the tray app, the CLI and its agent, and the local server
(one file each under the state directory, rotated at 1 MB). Tokens, private keys and pass ids
are redacted when written.
  -f, --follow     keep printing new lines until Ctrl-C
  -n, --lines N    lines of each log to show first (default 50)
  --kind KIND      only this log
  --path           print the logs directory and exit
`,
  options: {
    follow: { type: 'boolean', short: 'f' },
    lines: { type: 'string', short: 'n' },
    kind: { type: 'string' },
    path: { type: 'boolean' },
  },
  run: async ({ values }) => {
    const dir = stateDir();
    if (values.path) {
      process.stdout.write(`${logsDir(dir)}\n`);
      return 0;
    }
    const n = wholeNumberFlag('lines', values.lines, { fallback: 50 });
    if (values.kind !== undefined && !LOG_KINDS.includes(values.kind as LogKind)) {
      throw new UsageError(`--kind is one of ${LOG_KINDS.join(', ')}`);
    }
    const kinds = values.kind ? [values.kind as LogKind] : [...LOG_KINDS];
    const files = kinds.map((k) => ({ kind: k, file: logFile(dir, k), at: 0 }));
    const present = files.filter((f) => fs.existsSync(f.file));
    if (present.length === 0 && !values.follow) {
      process.stderr.write(`no logs yet in ${logsDir(dir)}\n`);
      return 0;
    }
    for (const f of present) {
      const { text, size } = lastLines(f.file, n);
      if (kinds.length > 1) process.stdout.write(`==> ${f.kind} (${f.file}) <==\n`);
      process.stdout.write(text);
      f.at = size;
    }
    if (!values.follow) return 0;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        for (const f of files) f.at = readFrom(f.file, f.at);
      }, 500);
      const stop = () => {
        clearInterval(timer);
        resolve();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
});
