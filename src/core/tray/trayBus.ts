// The tray's events (the contract's `Events`) on one typed emitter. Each part of the tray emits its
// own view on the bus it is given; the composition root (trayController.ts) says who listens.
import type { EventName, Events, Notice } from '../../shared/contract.js';
import { Emitter } from '../emitter.js';

/** One event with its payload: the router's listeners receive `(event, payload)`. */
export type TrayEvent = { [E in EventName]: [event: E, payload: Events[E]] }[EventName];

export type TrayBus = Emitter<TrayEvent>;

export function createTrayBus(): TrayBus {
  return new Emitter<TrayEvent>();
}

/** A notice for the popover and the OS notification (main decides whether to show it). */
export function notice(bus: TrayBus, level: Notice['level'], message: string, code?: string): void {
  bus.emit('notice', { level, message, ...(code ? { code } : {}) });
}
