// A workspace's ports: forward on/off, where to point the browser, state and traffic; add a port.
import { useMemo, useState } from 'react';
import type { ForwardView, WorkspaceView } from '../shared/contract.js';
import { formatTraffic } from './format.js';
import { inSeconds } from './linkHealth.js';
import { portRows, type PortRow } from './reducers.js';
import { usePopover } from './usePopover.js';
import { isPort } from '../shared/port.js';

const STATE_TEXT: Record<ForwardView['state'], string> = {
  starting: 'Connecting…',
  active: 'Forwarding',
  reconnecting: 'Reconnecting…',
  failed: 'Failed',
  off: 'Off',
};

export function PortsPanel({ ws }: { ws: WorkspaceView }) {
  const forwards = usePopover((s) => s.forwards);
  const rows = useMemo(() => portRows(ws, forwards), [ws, forwards]);
  const addForward = usePopover((s) => s.addForward);
  const adding = usePopover((s) => Boolean(s.busy[`addPort:${ws.name}`]));
  const [port, setPort] = useState('');
  const n = Number(port);
  const valid = isPort(n);

  return (
    <div
      className="ports"
      role="group"
      aria-label={`Ports of ${ws.name}`}
      onClick={(e) => e.stopPropagation()}
    >
      {rows.length === 0 ? (
        <p className="muted small-text">No ports yet. Add one to reach it from this computer.</p>
      ) : null}
      <ul className="port-list">
        {rows.map((row) => (
          <PortItem key={row.remotePort} ws={ws.name} row={row} nextRetryAt={ws.link?.nextRetryAt} />
        ))}
      </ul>
      <form
        className="add-port"
        onSubmit={(e) => {
          e.preventDefault();
          if (valid) void addForward(ws.name, n).then((ok) => ok && setPort(''));
        }}
      >
        <input
          type="number"
          min={1}
          max={65535}
          placeholder="Port, e.g. 3000"
          aria-label={`Port of ${ws.name} to forward`}
          value={port}
          onChange={(e) => setPort(e.target.value)}
        />
        <button
          type="submit"
          className="secondary small"
          disabled={!valid || adding}
          aria-label={`Add port to ${ws.name}`}
        >
          Add port
        </button>
      </form>
    </div>
  );
}

function PortItem({ ws, row, nextRetryAt }: { ws: string; row: PortRow; nextRetryAt: string | undefined }) {
  const f = row.forward;
  const on = f?.enabled ?? false;
  const toggle = usePopover((s) => s.toggleForward);
  const openUrl = usePopover((s) => s.openUrl);
  const busy = usePopover((s) => Boolean(s.busy[`forward:${ws}:${row.remotePort}`]));
  const state = f?.state ?? 'off';
  const what = row.label ? `${row.remotePort} (${row.label})` : String(row.remotePort);

  return (
    <li className="port">
      <button
        type="button"
        role="switch"
        aria-checked={on}
        aria-label={`Forward port ${what}`}
        className={on ? 'switch on' : 'switch'}
        disabled={busy}
        onClick={() => void toggle(ws, row.remotePort, !on)}
      >
        <span className="knob" aria-hidden="true" />
      </button>
      <div className="port-info">
        <div className="port-title">
          <strong>{row.remotePort}</strong>
          {row.label ? <span className="muted"> {row.label}</span> : null}
          <span className={`port-state port-${state}`}>{STATE_TEXT[state]}</span>
        </div>
        {f?.url && state === 'active' ? (
          <button
            type="button"
            className="link url"
            title={`Open ${f.url} in your browser`}
            aria-label={`Open ${f.url} in browser`}
            onClick={() => void openUrl(f.url!)}
          >
            {f.url} ↗
          </button>
        ) : null}
        {f?.reason ? <div className="reason">{f.reason}</div> : null}
        {nextRetryAt && (state === 'reconnecting' || state === 'failed') ? (
          <div className="reason">Next try {inSeconds(nextRetryAt, Date.now())}</div>
        ) : null}
        {f && state === 'active' ? <div className="traffic muted">{formatTraffic(f)}</div> : null}
      </div>
    </li>
  );
}

