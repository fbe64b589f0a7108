// First run (or signed out): sign in to a RunCode endpoint, or try the local demo server (which
// isolates nothing, and says so).
import { useState } from 'react';
import { Spinner } from './Spinner.js';
import { usePopover } from './usePopover.js';

export function FirstRun() {
  const saved = usePopover((s) => s.settings?.endpoint ?? s.session?.endpoint ?? '');
  const signIn = usePopover((s) => s.signIn);
  const trySandbox = usePopover((s) => s.trySandbox);
  const sandboxBusy = usePopover((s) => Boolean(s.busy.sandbox));
  const setView = usePopover((s) => s.setView);
  const savedCa = usePopover((s) => s.settings?.caFile ?? '');
  const [endpoint, setEndpoint] = useState(saved);
  const [caFile, setCaFile] = useState(savedCa);
  const insecure = /^http:\/\//i.test(endpoint.trim());

  return (
    <div className="first-run">
      <h1>Sign in to RunCode</h1>
      <p className="muted">Reach your cloud workspaces from ssh, git and your own editor.</p>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (endpoint.trim()) void signIn(endpoint, caFile);
        }}
      >
        <label htmlFor="endpoint">RunCode endpoint</label>
        <input
          id="endpoint"
          type="url"
          inputMode="url"
          autoFocus
          spellCheck={false}
          placeholder="https://runcode.example.com"
          value={endpoint}
          aria-invalid={insecure || undefined}
          aria-describedby={insecure ? 'endpoint-hint' : undefined}
          onChange={(e) => setEndpoint(e.target.value)}
        />
        {insecure ? (
          <p id="endpoint-hint" className="hint warning-text">
            Use an https:// address: RunCode Tray never sends your sign-in over plain http.
          </p>
        ) : null}
        <details className="advanced" open={Boolean(savedCa) || undefined}>
          <summary>Custom CA certificate</summary>
          <input
            id="ca-file"
            type="text"
            spellCheck={false}
            placeholder="/path/to/ca.pem (self-hosted RunCode only)"
            aria-label="CA certificate file"
            value={caFile}
            onChange={(e) => setCaFile(e.target.value)}
          />
        </details>
        <button type="submit" className="primary" disabled={!endpoint.trim()}>
          Sign in to RunCode
        </button>
      </form>
      <div className="divider" role="separator">
        <span>or</span>
      </div>
      <button
        type="button"
        className="secondary wide"
        onClick={() => void trySandbox()}
        disabled={sandboxBusy}
      >
        {sandboxBusy ? (
          <>
            <Spinner small /> Starting the local demo server…
          </>
        ) : (
          'Try the local demo server'
        )}
      </button>
      <p className="hint muted">
        Runs a RunCode server on this computer, no account needed. Its workspaces are folders on this computer
        and their commands run as you: they are not isolated from each other or from your files.
      </p>
      <div className="footer-links">
        <button type="button" className="link" onClick={() => setView('doctor')}>
          Something not working? Run the doctor
        </button>
      </div>
    </div>
  );
}
