// Redaction at the logger: whatever a log line, a doctor report or a diagnostics archive carries,
// tokens, private keys and pass ids are replaced before the text reaches a file. Patterns catch
// the shapes these take (PEM/OpenSSH key blocks, bearer headers, token fields and URL parameters,
// pass ids); secrets the process knows (its access token) are also replaced verbatim.

const REDACTED = '[redacted]';

const PATTERNS: [RegExp, string][] = [
  // PEM blocks, terminated or cut off: "-----BEGIN OPENSSH PRIVATE KEY----- ... -----END ...".
  [
    /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g,
    '[private key redacted]',
  ],
  // The base64 body of an OpenSSH private key ("openssh-key-v1" encodes as b3BlbnNzaC1rZXktdjE).
  [/b3BlbnNzaC1rZXktdjE(?:[A-Za-z0-9+/=]|\r?\n|\\n)*/g, '[private key redacted]'],
  // Authorization headers.
  [/\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi, `$1 ${REDACTED}`],
  // URL parameters that carry credentials or one-time codes (OAuth redirects, the owner secret).
  [/([?&#](?:code|state|owner|secret|access_token|token|code_verifier)=)[^&\s"'#]+/gi, `$1${REDACTED}`],
  // JSON or key=value fields that hold credentials or pass ids.
  [
    /(["']?\b(?:access_token|refresh_token|id_token|token|code_verifier|client_secret|secret|password|pass_?id|passId|sshPassId)\b["']?\s*[:=]\s*["']?)([^\s"'&,;}]+)/gi,
    `$1${REDACTED}`,
  ],
  // Pass ids in their own shape, wherever they appear ("pass_" / "sp_" followed by an opaque id).
  [/\b(?:pass|sp)_[A-Za-z0-9]{8,}\b/g, REDACTED],
];

export class Redactor {
  private readonly known = new Set<string>();

  /** A secret this process holds (say, its access token): replaced wherever it appears. */
  remember(secret: string | undefined): void {
    if (secret && secret.length >= 8) this.known.add(secret);
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.known) out = out.split(s).join(REDACTED);
    for (const [re, to] of PATTERNS) out = out.replace(re, to);
    return out;
  }
}

/** The process-wide redactor every logger and the diagnostics archive use. */
export const redactor = new Redactor();

export function redact(text: string): string {
  return redactor.redact(text);
}
