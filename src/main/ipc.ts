// IPC: one ipcMain.handle per contract channel (each checks its sender first: ipcHandler.ts), and
// the app's events pushed to the popover. Returns the cleanup.
import { ipcMain } from 'electron';
import type { EventName } from '../shared/contract.js';
import { CHANNELS } from '../shared/contract.js';
import type { IpcHandlerOptions } from './ipcHandler.js';
import { createIpcHandler } from './ipcHandler.js';

export interface IpcOptions extends IpcHandlerOptions {
  /** Pushes an event to the popover. */
  send(event: EventName, payload: unknown): void;
  subscribe(listener: (event: EventName, payload: unknown) => void): () => void;
}

export function registerIpc(o: IpcOptions): () => void {
  for (const channel of CHANNELS) ipcMain.handle(channel, createIpcHandler(channel, o));
  const unsubscribe = o.subscribe((event, payload) => o.send(event, payload));
  return () => {
    unsubscribe();
    for (const channel of CHANNELS) ipcMain.removeHandler(channel);
  };
}
