// exec: one shell command in the workspace over the session's ssh link. Output is capped per
// stream (with a note of what was cut), a timeout sends TERM and closes the channel (the link
// stays usable for the next call), and progress is reported while it runs.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { RuncodeError } from '../../core/errors.js';
import { remoteExec } from '../../core/ssh/remoteExec.js';
import type { RemoteExecResult } from '../../core/ssh/remoteExec.js';
import { shellQuote } from '../commands/execCommand.js';
import { guarded, textResult, toolError } from './agentError.js';
import { CappedOutput } from './cappedOutput.js';
import type { McpContext } from './mcpContext.js';
import { progressNotifier } from './progressNotifier.js';

export const OUTPUT_CAP = 256 * 1024;
export const DEFAULT_TIMEOUT_S = 120;
export const MAX_TIMEOUT_S = 3600;
const MAX_STDIN = 4 * 1024 * 1024;
const PROGRESS_EVERY_MS = 2000;

export function registerExecTool(server: McpServer, ctx: McpContext): void {
  server.registerTool(
    'exec',
    {
      title: 'Run a command in the workspace',
      description:
        'Run a shell command (sh -c) in the attached or named workspace, from its workdir or cwd; returns the exit code, stdout and stderr (each capped at 256 KiB).',
      inputSchema: {
        command: z.string().min(1).describe('a shell command line, e.g. "npm test 2>&1 | tail -50"'),
        workspace: z.string().optional().describe('workspace name; default: the attached one'),
        cwd: z.string().optional().describe('directory to run in; relative to the workdir unless absolute'),
        timeout_s: z
          .number()
          .positive()
          .max(MAX_TIMEOUT_S)
          .optional()
          .describe(
            `seconds before the command is stopped (default ${DEFAULT_TIMEOUT_S}, max ${MAX_TIMEOUT_S})`,
          ),
        stdin: z.string().max(MAX_STDIN).optional().describe('text sent to the command on stdin'),
      },
      outputSchema: {
        exitCode: z.number().nullable(),
        signal: z.string().optional(),
        stdoutBytes: z.number(),
        stderrBytes: z.number(),
        cutBytes: z.number(),
      },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    },
    guarded(async ({ command, workspace, cwd, timeout_s, stdin }, extra) => {
      const ws = await ctx.workspace(workspace);
      const timeoutS = timeout_s ?? DEFAULT_TIMEOUT_S;
      const line = cwd === undefined ? command : `cd ${shellQuote(cwd)} && ${command}`;
      const stdout = new CappedOutput(OUTPUT_CAP);
      const stderr = new CappedOutput(OUTPUT_CAP);
      const say = progressNotifier(extra);
      const run = ctx.track();
      let timedOut = false;
      const onCancel = (): void => run.abort();
      extra.signal.addEventListener('abort', onCancel, { once: true });
      const timer = setTimeout(() => {
        timedOut = true;
        run.abort();
      }, timeoutS * 1000);
      const started = Date.now();
      const ticker = setInterval(() => {
        say(
          `running ${Math.round((Date.now() - started) / 1000)} s; ${stdout.total + stderr.total} bytes of output so far`,
        );
      }, PROGRESS_EVERY_MS);
      try {
        const result = await ctx.links.use(ws, (client) =>
          remoteExec(client, line, {
            stdout: (b) => stdout.push(b),
            stderr: (b) => stderr.push(b),
            ...(stdin !== undefined ? { stdin } : {}),
            signal: run.signal,
          }),
        );
        return textResult(render(result, stdout, stderr), summary(result, stdout, stderr));
      } catch (e) {
        const partial = render(undefined, stdout, stderr);
        if (timedOut) {
          return toolError(
            new RuncodeError(
              'timeout',
              `the command ran past its ${timeoutS} s timeout and was stopped (TERM sent, channel closed); pass a larger timeout_s or run it in the background (nohup ... &)`,
            ),
            partial ? `\n${partial}` : '',
          );
        }
        return toolError(e, partial ? `\n${partial}` : '');
      } finally {
        clearTimeout(timer);
        clearInterval(ticker);
        extra.signal.removeEventListener('abort', onCancel);
        run.release();
      }
    }),
  );
}

function summary(r: RemoteExecResult, out: CappedOutput, err: CappedOutput) {
  return {
    exitCode: r.code,
    ...(r.signal ? { signal: r.signal } : {}),
    stdoutBytes: out.total,
    stderrBytes: err.total,
    cutBytes: out.cut + err.cut,
  };
}

/** What the model reads: the exit status first, then each stream that said something. */
function render(r: RemoteExecResult | undefined, out: CappedOutput, err: CappedOutput): string {
  const parts: string[] = [];
  if (r) parts.push(r.code !== null ? `exit code ${r.code}` : `ended by ${r.signal ?? 'a signal'}`);
  if (out.total > 0) parts.push(`[stdout]\n${out.text()}`);
  if (err.total > 0) parts.push(`[stderr]\n${err.text()}`);
  if (r && out.total === 0 && err.total === 0) parts.push('(no output)');
  return parts.join('\n');
}
