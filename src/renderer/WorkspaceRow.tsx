// One workspace: name (full name on hover), state, Start/Stop, Open (+ other editors), the ssh
// command to copy, and its ports when expanded.
import { memo } from 'react';
import type { EditorId, EditorInfo, WorkspaceView } from '../shared/contract.js';
import { copyText } from './clipboard.js';
import { EditorMenu } from './EditorMenu.js';
import { formatAgo } from './format.js';
import { linkHealthText } from './linkHealth.js';
import { PortsPanel } from './PortsPanel.js';
import { isBusyState } from './reducers.js';
import { Spinner } from './Spinner.js';
import { StateBadge } from './StateBadge.js';
import { usePopoverStore } from './usePopover.js';

interface Props {
  ws: WorkspaceView;
  index: number;
  start: number;
  selected: boolean;
  expanded: boolean;
  editors: readonly EditorInfo[];
  defaultEditor: EditorId | undefined;
  defaultEditorLabel: string;
  /** Set for the expanded row only (the others have a fixed height). */
  measure: ((el: HTMLElement | null) => void) | undefined;
}

export const WorkspaceRow = memo(function WorkspaceRow(props: Props) {
  const { ws, index, start, selected, expanded, editors, defaultEditor, defaultEditorLabel, measure } = props;
  const store = usePopoverStore();
  const running = ws.state === 'running';
  const busy = isBusyState(ws.state) || ws.pending !== undefined;
  const now = Date.now();
  const health = ws.connected ? linkHealthText(ws, now) : undefined;
  const stateTitle = health
    ? `Updated ${formatAgo(ws.updatedAt, now)}; ${health.full}`
    : `Updated ${formatAgo(ws.updatedAt, now)}`;
  const s = store.getState;

  async function copySsh() {
    const command = await s().connect(ws.name);
    if (!command) return;
    const ok = await copyText(command);
    s().notify(
      ok ? 'info' : 'error',
      ok ? `Copied “${command}”.` : `Couldn't copy; the command is: ${command}`,
    );
  }

  return (
    <div
      ref={measure}
      data-index={index}
      id={`ws-row-${index}`}
      role="listitem"
      aria-current={selected || undefined}
      aria-label={`${ws.name}, ${ws.state}`}
      className={`row${selected ? ' selected' : ''}${expanded ? ' expanded' : ''}`}
      style={{ transform: `translateY(${start}px)` }}
      onClick={() => s().select(ws.name)}
    >
      <div className="row-main">
        <button
          type="button"
          className="chevron icon-button"
          aria-expanded={expanded}
          aria-label={`${expanded ? 'Hide' : 'Show'} ports of ${ws.name}`}
          onClick={() => s().toggleExpanded(ws.name)}
        >
          <span className={expanded ? 'chev open' : 'chev'} aria-hidden="true">
            ›
          </span>
        </button>
        <span className="ws-name" title={ws.name}>
          {ws.name}
        </span>
        {health ? (
          <span
            className={`conn conn-${health.tone}`}
            title={health.full}
            aria-label={`SSH: ${health.compact}`}
          >
            {health.compact}
          </span>
        ) : null}
        <StateBadge state={ws.state} title={stateTitle} />
      </div>
      <div className="row-actions">
        {ws.state === 'failed' && ws.stateReason ? (
          // Why it failed, in the place of the (disabled) ssh command; in full when expanded.
          <span className="ws-reason" title={ws.stateReason} aria-label={`Why ${ws.name} failed`}>
            {ws.stateReason}
          </span>
        ) : (
          <button
            type="button"
            className="ssh-chip"
            disabled={!running}
            title={
              running ? `Copy “ssh ${ws.alias}” (sets up the ssh entry)` : 'Start the workspace to connect'
            }
            aria-label={`Copy ssh command for ${ws.name}`}
            onClick={() => void copySsh()}
          >
            <span className="ssh-text">ssh {ws.alias}</span>
          </button>
        )}
        {running || ws.state === 'starting' ? (
          <button
            type="button"
            className="secondary small"
            disabled={busy}
            aria-label={`Stop ${ws.name}`}
            onClick={() => void s().stop(ws.name)}
          >
            {busy ? <BusyLabel state={ws.state} /> : 'Stop'}
          </button>
        ) : (
          <button
            type="button"
            className="secondary small"
            disabled={busy}
            aria-label={`Start ${ws.name}`}
            onClick={() => void s().start(ws.name)}
          >
            {busy ? <BusyLabel state={ws.state} /> : 'Start'}
          </button>
        )}
        <span className="split">
          <button
            type="button"
            className="primary small split-main"
            disabled={!running}
            title={running ? `Open in ${defaultEditorLabel} (Enter)` : 'Start the workspace to open it'}
            aria-label={`Open ${ws.name} in ${defaultEditorLabel}`}
            onClick={() => void s().openEditor(ws.name)}
          >
            Open
          </button>
          <EditorMenu
            key={ws.name}
            name={ws.name}
            editors={editors}
            defaultEditor={defaultEditor}
            disabled={!running}
            onPick={(editor) => void s().openEditor(ws.name, editor)}
          />
        </span>
      </div>
      {expanded && ws.stateReason ? (
        <p className="ws-reason-full" role="note">
          {ws.state === 'failed' ? 'Failed: ' : ''}
          {ws.stateReason}
        </p>
      ) : null}
      {expanded && health ? (
        <p className={`link-health link-${health.tone}`} aria-label={`SSH health of ${ws.name}`}>
          {health.full}
        </p>
      ) : null}
      {expanded ? <PortsPanel key={ws.name} ws={ws} /> : null}
    </div>
  );
});

function BusyLabel({ state }: { state: WorkspaceView['state'] }) {
  return (
    <>
      <Spinner small /> {state === 'stopping' ? 'Stopping' : 'Starting'}
    </>
  );
}
