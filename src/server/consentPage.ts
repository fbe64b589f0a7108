// The OAuth consent page and the browser-facing error page. No script at all: a plain POST form
// carrying a single-use, unguessable request nonce (the CSRF defence), served under a CSP that
// forbids framing.

const escape = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const STYLE = `body{font-family:system-ui,sans-serif;max-width:30em;margin:4em auto;padding:0 1em;color:#222}
h1{font-size:1.4em}.who{color:#555}form{display:flex;gap:1em;margin-top:2em}
button{font-size:1em;padding:.6em 1.6em;border-radius:6px;border:1px solid #888;background:#fff;cursor:pointer}
button[value=approve]{background:#1f6feb;color:#fff;border-color:#1f6feb}`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escape(title)}</title><style>${STYLE}</style></head>
<body>${body}</body></html>
`;
}

export interface ConsentPageInput {
  /** Single-use id of this authorization request, posted back with the decision. */
  nonce: string;
  userName: string;
  userEmail: string;
  /** Where the answer goes (shown so the user can see it is their own machine). */
  redirectOrigin: string;
  /** Where the form posts: /oauth/authorize with the owner secret (it carries the secret on). */
  formAction: string;
}

export function consentPage(p: ConsentPageInput): string {
  return page(
    'Sign in to RunCode',
    `<h1>Allow RunCode Desktop to use your account?</h1>
<p class="who">Signed in as <b>${escape(p.userName)}</b> (${escape(p.userEmail)})</p>
<p>RunCode Desktop will be able to list, start and stop your workspaces and get SSH passes for them.
The answer is sent to <code>${escape(p.redirectOrigin)}</code> on this computer.</p>
<form method="post" action="${escape(p.formAction)}">
<input type="hidden" name="request" value="${escape(p.nonce)}">
<button type="submit" name="decision" value="approve">Approve</button>
<button type="submit" name="decision" value="deny">Deny</button>
</form>`,
  );
}

export function errorPage(message: string): string {
  return page('RunCode sign-in error', `<h1>Sign-in cannot continue</h1><p>${escape(message)}</p>`);
}
