// ApiError codes -> short messages a person can act on. Never shows a stack trace: unknown
// errors fall back to the first line of their message.
import { isApiError } from '../shared/contract.js';
import type { ErrorCode } from '../shared/errorCodes.js';

// Keyed by the closed union: a code nothing throws cannot have words here.
const FRIENDLY: Partial<Record<ErrorCode, string>> = {
  unauthorized: 'Your session has ended. Sign in again.',
  unreachable: "Can't reach RunCode. Check your network and the endpoint, then try again.",
  tls: "The server's certificate isn't trusted. Check the endpoint (or its CA file in Settings).",
  insecure_endpoint: 'The endpoint must be an https:// address.',
  access_denied: 'Sign-in was declined in the browser.',
  sign_in_timeout: 'Sign-in took too long. Try again.',
  cancelled: 'Sign-in cancelled.',
  sandbox_failed: "The local demo server couldn't start. Run the doctor for details.",
  not_found: 'That workspace no longer exists.',
  not_running: 'Start the workspace first.',
  bad_response: "RunCode sent an answer this app doesn't understand. Try again, or update the app.",
  config_markers:
    'Your ~/.ssh/config has unbalanced or duplicated RunCode markers. Fix them by hand, then try again.',
  config_not_writable: "Your ssh config can't be written. Check its permissions.",
  bad_url: "That address can't be opened.",
};

/** Codes whose server/core message is more useful than ours (it names the field or the port). */
const OWN_MESSAGE: ReadonlySet<string> = new Set<ErrorCode>([
  'invalid_argument',
  'launch_failed',
  'port_in_use',
  'ssh_config_opt_in_needed',
]);


/** First line, no stack frames, at most 200 characters. */
export function cleanMessage(message: string): string {
  const line = message
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('at '));
  if (!line) return '';
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

export function friendlyError(e: unknown): string {
  if (isApiError(e)) {
    const own = cleanMessage(e.message);
    if (OWN_MESSAGE.has(e.code) && own) return own;
    return FRIENDLY[e.code as ErrorCode] ?? (own || `Something went wrong (${e.code}).`);
  }
  if (e instanceof Error) return cleanMessage(e.message) || 'Something went wrong.';
  return 'Something went wrong.';
}

/** `Couldn't start api: Start the workspace first.` */
export function describeFailure(action: string, e: unknown): string {
  return `${action}: ${friendlyError(e)}`;
}
