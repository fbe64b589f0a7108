// While the browser sign-in runs: what is happening, the link to copy, and Cancel.
import { copyText } from './clipboard.js';
import { Spinner } from './Spinner.js';
import { usePopover } from './usePopover.js';

export function SigningIn() {
  const url = usePopover((s) => s.session?.signInUrl);
  const endpoint = usePopover((s) => s.session?.endpoint);
  const cancel = usePopover((s) => s.cancelSignIn);
  const notify = usePopover((s) => s.notify);

  return (
    <div className="signing-in" aria-busy="true">
      <h1>
        <Spinner /> Signing in…
      </h1>
      <p>
        Your browser is showing the RunCode sign-in page{endpoint ? ` for ${endpoint}` : ''}. Approve RunCode
        Tray there; this window updates by itself.
      </p>
      {url ? (
        <div className="stack">
          <label htmlFor="sign-in-url">Browser didn't open? Copy this link into it:</label>
          <div className="copy-row">
            <input id="sign-in-url" readOnly value={url} title={url} onFocus={(e) => e.target.select()} />
            <button
              type="button"
              className="secondary"
              aria-label="Copy the sign-in link"
              onClick={() =>
                void copyText(url).then((ok) =>
                  notify(
                    ok ? 'info' : 'error',
                    ok ? 'Sign-in link copied.' : "Couldn't copy; select the link and copy it.",
                  ),
                )
              }
            >
              Copy
            </button>
          </div>
        </div>
      ) : (
        <p className="muted">Opening your browser…</p>
      )}
      <button type="button" className="secondary wide" onClick={() => void cancel()}>
        Cancel
      </button>
    </div>
  );
}
