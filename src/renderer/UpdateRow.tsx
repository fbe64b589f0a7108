// Settings' update line: what the updater is doing, "Check now", and "Restart to update" once a
// version is downloaded. Hidden where the app cannot update itself (no `session.update`).
import { useState } from 'react';
import type { UpdateView } from '../shared/contract.js';
import { api } from './api.js';
import { friendlyError } from './friendlyError.js';
import { Spinner } from './Spinner.js';
import { usePopover } from './usePopover.js';

function describe(u: UpdateView): string {
  switch (u.state) {
    case 'disabled':
      return 'Automatic update checks are off.';
    case 'checking':
      return 'Checking for updates…';
    case 'downloading':
      return `Downloading RunCode Tray ${u.version ?? ''}…`;
    case 'ready':
      return `RunCode Tray ${u.version ?? ''} is ready.`;
    case 'failed':
      return u.message ?? 'The last update check failed.';
    case 'idle':
      return 'RunCode Tray is up to date.';
  }
}

export function UpdateRow() {
  const update = usePopover((s) => s.session?.update);
  const notify = usePopover((s) => s.notify);
  const [busy, setBusy] = useState(false);
  if (!update) return null;
  const working = busy || update.state === 'checking' || update.state === 'downloading';
  async function run(f: () => Promise<unknown>) {
    setBusy(true);
    try {
      await f();
    } catch (e) {
      notify('error', friendlyError(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className={`update-row update-${update.state}`} role="group" aria-label="Updates">
      <span className="update-text" role="status">
        {working ? <Spinner small /> : null} {describe(update)}
      </span>
      {update.state === 'ready' ? (
        <button type="button" className="primary small" onClick={() => void run(() => api().updateRestart())}>
          Restart to update
        </button>
      ) : (
        <button
          type="button"
          className="secondary small"
          disabled={working}
          onClick={() => void run(() => api().updateCheck())}
        >
          Check now
        </button>
      )}
    </div>
  );
}
