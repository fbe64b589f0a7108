// Settings: the account, preferences, the ssh config block, and sign out.
import { useEffect } from 'react';
import type { EditorId } from '../shared/contract.js';
import { Spinner } from './Spinner.js';
import { UpdateRow } from './UpdateRow.js';
import { usePopover } from './usePopover.js';

const LIVE_TEXT = {
  stream: 'Live updates',
  polling: 'Checking every 30 s (no live stream)',
  offline: 'Offline',
};

export function Settings() {
  const session = usePopover((s) => s.session);
  const settings = usePopover((s) => s.settings);
  const editors = usePopover((s) => s.editors);
  const sshConfig = usePopover((s) => s.sshConfig);
  const signingOut = usePopover((s) => Boolean(s.busy.signOut));
  const removing = usePopover((s) => Boolean(s.busy.sshRemove));
  const load = usePopover((s) => s.loadSettingsView);
  const save = usePopover((s) => s.saveSettings);
  const signOut = usePopover((s) => s.signOut);
  const removeEntries = usePopover((s) => s.removeSshEntries);

  useEffect(() => {
    void load();
  }, [load]);

  const warning = session?.secretStore.warning;
  return (
    <div className="settings">
      <section aria-labelledby="set-account">
        <h2 id="set-account">Account</h2>
        <dl className="facts">
          <dt>Endpoint</dt>
          <dd className="mono truncate" title={session?.endpoint}>
            {session?.endpoint ?? '—'}
            {session?.sandbox ? <span className="tag">local demo</span> : null}
          </dd>
          {session?.user ? (
            <>
              <dt>Signed in as</dt>
              <dd className="truncate" title={`${session.user.name} <${session.user.email}>`}>
                {session.user.name} · {session.user.email}
              </dd>
            </>
          ) : null}
          <dt>Updates</dt>
          <dd>{session ? LIVE_TEXT[session.liveMode] : '—'}</dd>
          <dt>Token stored in</dt>
          <dd>{session?.secretStore.kind ?? '—'}</dd>
        </dl>
        {warning ? (
          <p className="warning-box" role="note">
            {warning}
          </p>
        ) : null}
      </section>

      <section aria-labelledby="set-prefs">
        <h2 id="set-prefs">Preferences</h2>
        <label className="field">
          <span>Default editor</span>
          <select
            aria-label="Default editor"
            value={settings?.defaultEditor ?? ''}
            disabled={!settings}
            onChange={(e) => void save({ defaultEditor: e.target.value as EditorId })}
          >
            {editors.map((ed) => (
              <option key={ed.id} value={ed.id}>
                {ed.label}
                {ed.installed === false ? ' (not found)' : ''}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={settings?.launchAtLogin ?? false}
            disabled={!settings}
            onChange={(e) => void save({ launchAtLogin: e.target.checked })}
          />
          Launch at login
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={settings?.notifications ?? false}
            disabled={!settings}
            onChange={(e) => void save({ notifications: e.target.checked })}
          />
          Notifications (workspace ready, sign-in needed)
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={settings ? settings.autoUpdate !== false : false}
            disabled={!settings}
            onChange={(e) => void save({ autoUpdate: e.target.checked })}
          />
          Check for updates automatically
        </label>
        <UpdateRow />
      </section>

      <section aria-labelledby="set-ssh">
        <h2 id="set-ssh">SSH config</h2>
        <label className="check">
          <input
            type="checkbox"
            checked={settings?.sshConfigOptIn ?? false}
            disabled={!settings}
            onChange={(e) => void save({ sshConfigOptIn: e.target.checked })}
          />
          Let editors reach workspaces (adds a removable block to ~/.ssh/config; the browser IDE and the
          terminal work without it)
        </label>
        {sshConfig ? (
          <>
            <p className="mono truncate small-text" title={sshConfig.path}>
              {sshConfig.path}
            </p>
            {sshConfig.hosts.length > 0 ? (
              <ul className="hosts" aria-label="Hosts in the RunCode block">
                {sshConfig.hosts.map((h) => (
                  <li key={h} className="mono">
                    {h}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="muted small-text">No RunCode entries. Connecting to a workspace adds one.</p>
            )}
            {sshConfig.backupPath ? (
              <p className="muted small-text truncate" title={sshConfig.backupPath}>
                Original backed up to {sshConfig.backupPath}
              </p>
            ) : null}
            <button
              type="button"
              className="secondary"
              disabled={sshConfig.hosts.length === 0 || removing}
              onClick={() => void removeEntries()}
            >
              {removing ? <Spinner small /> : null} Remove entries
            </button>
          </>
        ) : (
          <p className="muted">
            <Spinner small /> Reading…
          </p>
        )}
      </section>

      <section aria-labelledby="set-out">
        <h2 id="set-out">Sign out</h2>
        <p className="muted small-text">
          Revokes passes, deletes this app's keys and removes the ssh entries.
        </p>
        <button type="button" className="danger" disabled={signingOut} onClick={() => void signOut()}>
          {signingOut ? <Spinner small /> : null} Sign out
        </button>
      </section>
    </div>
  );
}
