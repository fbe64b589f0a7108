// A connected workspace's health in words: compact for the row's chip, in full for its title and
// the expanded row. Pure (now is passed in) so it is unit-tested.
import type { WorkspaceView } from '../shared/contract.js';
import { formatAgo, formatExpiresIn } from './format.js';

export interface LinkHealthText {
  /** `ssh 42 ms`, `ssh …`, `link down`, or `ssh` when no link is kept. */
  compact: string;
  /** Everything: link state and since when, why down and the next try, round trip, pass left. */
  full: string;
  tone: 'good' | 'busy' | 'bad';
}

/** `in 5 s`, or `now` once due; '' when unknown. */
export function inSeconds(iso: string | undefined, now: number): string {
  const t = iso ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(t)) return '';
  const s = Math.ceil((t - now) / 1000);
  return s <= 0 ? 'now' : `in ${s} s`;
}

export function linkHealthText(
  ws: Pick<WorkspaceView, 'link' | 'passExpiresAt'>,
  now: number,
): LinkHealthText {
  const pass = ws.passExpiresAt ? `ssh pass expires ${formatExpiresIn(ws.passExpiresAt, now)}` : '';
  const parts: string[] = [];
  const l = ws.link;
  let compact = 'ssh';
  let tone: LinkHealthText['tone'] = 'good';
  if (!l) {
    parts.push('Connected over ssh');
  } else if (l.state === 'up') {
    compact = l.rttMs !== undefined ? `ssh ${l.rttMs} ms` : 'ssh';
    parts.push(`SSH link up since ${formatAgo(l.since, now)}`);
    if (l.rttMs !== undefined) parts.push(`round trip ${l.rttMs} ms (${formatAgo(l.rttAt, now)})`);
  } else if (l.state === 'connecting') {
    compact = 'ssh …';
    tone = 'busy';
    parts.push('SSH link connecting');
  } else {
    compact = 'link down';
    tone = 'bad';
    const retry = inSeconds(l.nextRetryAt, now);
    parts.push(
      `SSH link down since ${formatAgo(l.since, now)}${l.reason ? `: ${l.reason}` : ''}`,
      ...(retry ? [`next try ${retry}`] : []),
    );
    if (l.rttMs !== undefined) parts.push(`last round trip ${l.rttMs} ms`);
  }
  if (pass) parts.push(pass);
  return { compact, full: parts.join('; '), tone };
}
