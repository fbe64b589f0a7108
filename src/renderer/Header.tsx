// Top bar when signed in: who, how live the data is, and the three tabs.
import { inSeconds } from './linkHealth.js';
import type { View } from './popoverUi.js';
import { usePopover } from './usePopover.js';

const TABS: { id: View; label: string }[] = [
  { id: 'workspaces', label: 'Workspaces' },
  { id: 'settings', label: 'Settings' },
  { id: 'doctor', label: 'Doctor' },
];

const LIVE: Record<string, { text: string; title: string }> = {
  stream: { text: 'Live', title: 'Workspace changes arrive as they happen.' },
  polling: { text: 'Polling', title: 'No live stream: checking every 30 seconds.' },
  offline: { text: 'Offline', title: "Can't reach RunCode right now; showing the last known state." },
};

export function Header() {
  const view = usePopover((s) => s.view);
  const setView = usePopover((s) => s.setView);
  const user = usePopover((s) => s.session?.user);
  const liveMode = usePopover((s) => s.session?.liveMode ?? 'offline');
  const sandbox = usePopover((s) => s.session?.sandbox ?? false);
  const live = LIVE[liveMode] ?? LIVE.offline!;
  const liveError = usePopover((s) => s.session?.liveError);
  const liveRetryAt = usePopover((s) => s.session?.liveRetryAt);
  // Down: say why and when it tries again (the status's title and label).
  const retry = liveRetryAt ? inSeconds(liveRetryAt, Date.now()) : '';
  const trouble =
    liveMode !== 'stream' && (liveError || retry)
      ? ` ${liveError ? `Last error: ${liveError}.` : ''}${retry ? ` Next try ${retry}.` : ''}`
      : '';

  function onTabKey(e: React.KeyboardEvent) {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    const i = TABS.findIndex((t) => t.id === view);
    const next = TABS[(i + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length]!;
    setView(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  }

  return (
    <header className="header">
      <div className="header-top">
        <span className="brand">RunCode</span>
        {sandbox ? <span className="tag">local demo</span> : null}
        <span className="user" title={user ? `${user.name} <${user.email}>` : undefined}>
          {user?.email ?? ''}
        </span>
        <span
          className={`live live-${liveMode}`}
          title={`${live.title}${trouble}`}
          role="status"
          aria-label={`Updates: ${live.text}${trouble}`}
        >
          {live.text}
        </span>
      </div>
      <div className="tabs" role="tablist" aria-label="Sections" onKeyDown={onTabKey}>
        {TABS.map((t) => (
          <button
            key={t.id}
            id={`tab-${t.id}`}
            role="tab"
            type="button"
            aria-selected={view === t.id}
            aria-controls="screen"
            tabIndex={view === t.id ? 0 : -1}
            className={view === t.id ? 'tab active' : 'tab'}
            onClick={() => setView(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
    </header>
  );
}
