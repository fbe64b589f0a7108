// Which notices become system notifications: only when the user has notifications on, only
// warnings and errors plus the few infos worth interrupting for (a workspace became ready), and
// the same message at most once a minute (a refresh failing every retry must not spam).
import type { Notice } from '../shared/contract.js';

const WORTH_INTERRUPTING = /ready|signed out|sign in/i;

export class NoticeGate {
  private readonly lastShown = new Map<string, number>();

  constructor(private readonly quietMs = 60_000) {}

  shouldShow(notice: Notice, enabled: boolean, now: number): boolean {
    if (!enabled) return false;
    if (notice.level === 'info' && !WORTH_INTERRUPTING.test(notice.message)) return false;
    const key = `${notice.level}\n${notice.code ?? ''}\n${notice.message}`;
    const last = this.lastShown.get(key);
    if (last !== undefined && now - last < this.quietMs) return false;
    this.lastShown.set(key, now);
    if (this.lastShown.size > 200) this.lastShown.delete(this.lastShown.keys().next().value as string);
    return true;
  }
}
