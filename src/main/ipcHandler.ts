// One IPC handler: who sent it first (isTrustedSender), then the argument count, then the router
// (which validates the argument itself). Electron-free apart from types, so it is unit-tested with
// fake events; ipc.ts registers one per channel with ipcMain.handle.
import type { IpcMainInvokeEvent } from 'electron';
import type { IpcResult, RouterPort } from '../shared/contract.js';
import type { SenderInfo } from './trustedSender.js';
import { isTrustedSender } from './trustedSender.js';

/** The parts of Electron's invoke event the check reads. */
export type InvokeEventLike = Pick<IpcMainInvokeEvent, 'senderFrame'> & {
  sender: { id: number; mainFrame: { processId: number; routingId: number } };
};

export function senderInfo(event: InvokeEventLike): SenderInfo {
  const frame = event.senderFrame;
  const main = event.sender.mainFrame;
  return {
    frameUrl: frame?.url,
    // The same frame as the window's main frame (an iframe has a parent and its own routing id).
    isMainFrame:
      frame !== null &&
      frame.parent === null &&
      frame.processId === main.processId &&
      frame.routingId === main.routingId,
    webContentsId: event.sender.id,
  };
}

export interface IpcHandlerOptions {
  router: RouterPort;
  windowId(): number | undefined;
  allowedOrigins: readonly string[];
  log(line: string): void;
}

export function createIpcHandler(
  channel: string,
  o: IpcHandlerOptions,
): (event: InvokeEventLike, ...args: unknown[]) => Promise<IpcResult<unknown>> {
  return async (event, ...args) => {
    const decision = isTrustedSender(senderInfo(event), {
      expectedId: o.windowId(),
      allowedOrigins: o.allowedOrigins,
    });
    if (!decision.ok) {
      o.log(`refused IPC ${channel}: ${decision.reason}`);
      return {
        ok: false,
        error: { code: 'forbidden', message: 'This window may not talk to RunCode Tray.' },
      };
    }
    if (args.length > 1) {
      return { ok: false, error: { code: 'invalid_argument', message: `${channel} takes one argument` } };
    }
    return o.router.invoke(channel, args[0]);
  };
}
