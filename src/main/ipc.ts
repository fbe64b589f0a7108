// IPC: one ipcMain.handle per contract channel, each checking who sent it before the router sees
// the argument (the router then validates the argument itself: "don't trust the renderer"), and
// the app's events pushed to the popover. Returns the cleanup.
import type { IpcMainInvokeEvent } from 'electron';
import { ipcMain } from 'electron';
import type { EventName, IpcResult, RouterPort } from '../shared/contract.js';
import { CHANNELS } from '../shared/contract.js';
import type { SenderInfo } from './trustedSender.js';
import { isTrustedSender } from './trustedSender.js';

export interface IpcOptions {
  router: RouterPort;
  /** The popover window's webContents id (undefined while it does not exist). */
  windowId(): number | undefined;
  allowedOrigins: readonly string[];
  /** Pushes an event to the popover. */
  send(event: EventName, payload: unknown): void;
  subscribe(listener: (event: EventName, payload: unknown) => void): () => void;
  log(line: string): void;
}

export function senderInfo(event: IpcMainInvokeEvent): SenderInfo {
  const frame = event.senderFrame;
  const main = event.sender.mainFrame;
  return {
    frameUrl: frame?.url,
    isMainFrame:
      frame !== null &&
      frame.parent === null &&
      frame.processId === main.processId &&
      frame.routingId === main.routingId,
    webContentsId: event.sender.id,
  };
}

const refused = (message: string): IpcResult<never> => ({ ok: false, error: { code: 'forbidden', message } });

export function registerIpc(o: IpcOptions): () => void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, async (event, ...args: unknown[]): Promise<IpcResult<unknown>> => {
      const decision = isTrustedSender(senderInfo(event), {
        expectedId: o.windowId(),
        allowedOrigins: o.allowedOrigins,
      });
      if (!decision.ok) {
        o.log(`refused IPC ${channel}: ${decision.reason}`);
        return refused('This window may not talk to RunCode Tray.');
      }
      if (args.length > 1) {
        return { ok: false, error: { code: 'invalid_argument', message: `${channel} takes one argument` } };
      }
      return o.router.invoke(channel, args[0]);
    });
  }
  const unsubscribe = o.subscribe((event, payload) => o.send(event, payload));
  return () => {
    unsubscribe();
    for (const channel of CHANNELS) ipcMain.removeHandler(channel);
  };
}
