// Doctor: each check, passed or failed, and how to fix what failed.
import { useEffect, useState } from 'react';
import { api } from './api.js';
import { friendlyError } from './friendlyError.js';
import { Spinner } from './Spinner.js';
import { usePopover } from './usePopover.js';

export function Doctor() {
  const checks = usePopover((s) => s.doctor);
  const running = usePopover((s) => Boolean(s.busy.doctor));
  const run = usePopover((s) => s.runDoctor);
  const signedIn = usePopover((s) => s.session?.signedIn ?? false);
  const setView = usePopover((s) => s.setView);

  useEffect(() => {
    void run();
  }, [run]);

  const failed = checks?.filter((c) => !c.ok).length ?? 0;
  return (
    <div className="doctor">
      <div className="doctor-head">
        {!signedIn ? (
          <button
            type="button"
            className="link"
            onClick={() => setView('workspaces')}
            aria-label="Back to sign in"
          >
            ‹ Back
          </button>
        ) : null}
        <h2>Doctor</h2>
        <button type="button" className="secondary small" disabled={running} onClick={() => void run()}>
          {running ? <Spinner small /> : null} Run again
        </button>
      </div>
      {checks ? (
        <p className={failed ? 'summary bad' : 'summary good'} role="status">
          {failed === 0
            ? `All ${checks.length} checks passed.`
            : `${failed} of ${checks.length} check${checks.length === 1 ? '' : 's'} failed.`}
        </p>
      ) : (
        <p className="muted" role="status">
          <Spinner small /> Checking…
        </p>
      )}
      <ul className="checks" aria-label="Checks">
        {checks?.map((c) => (
          <li key={c.id} className={c.ok ? 'check-item ok' : 'check-item fail'}>
            <span className="mark" role="img" aria-label={c.ok ? 'passed' : 'failed'}>
              {c.ok ? '✓' : '✕'}
            </span>
            <div>
              <div className="check-title">{c.title}</div>
              {c.detail ? <div className="muted small-text">{c.detail}</div> : null}
              {!c.ok && c.fix ? <div className="fix">Fix: {c.fix}</div> : null}
            </div>
          </li>
        ))}
      </ul>
      <DiagnosticsButtons />
    </div>
  );
}

/** Logs to look at, and one archive to send (redacted: no tokens, keys or pass ids). */
function DiagnosticsButtons() {
  const notify = usePopover((s) => s.notify);
  const [saving, setSaving] = useState(false);
  async function save() {
    setSaving(true);
    try {
      const r = await api().diagnosticsSave();
      if (r.path) notify('info', `Diagnostics saved to ${r.path}`);
    } catch (e) {
      notify('error', friendlyError(e));
    } finally {
      setSaving(false);
    }
  }
  return (
    <div className="diagnostics">
      <button
        type="button"
        className="secondary small"
        onClick={() =>
          void api()
            .logsShow()
            .catch((e: unknown) => notify('error', friendlyError(e)))
        }
      >
        Show logs
      </button>
      <button type="button" className="secondary small" disabled={saving} onClick={() => void save()}>
        {saving ? <Spinner small /> : null} Save diagnostics…
      </button>
    </div>
  );
}
