// Builds `window.runcode` (the contract's RuncodeApi) over an ipcRenderer-like object: one named
// function per channel and one `onX(listener)` per event, nothing else. No generic invoke/send, and
// no IpcRendererEvent handed to the page (its `sender` is ipcRenderer itself). Pure, so it is
// unit-tested without Electron; index.ts passes the real ipcRenderer.
import type { ApiError, IpcResult, RuncodeApi } from '../shared/contract.js';
import { CHANNELS, EVENTS, isApiError, listenerName, methodName } from '../shared/contract.js';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

function unwrap(channel: string, result: unknown): unknown {
  const r = result as IpcResult<unknown> | undefined;
  if (r && typeof r === 'object' && r.ok === true && 'value' in r) return r.value;
  if (r && typeof r === 'object' && r.ok === false && isApiError(r.error)) {
    // A plain {code, message} object: it survives the context bridge with its code intact.
    throw { code: r.error.code, message: r.error.message } satisfies ApiError;
  }
  throw { code: 'internal', message: `The app sent no valid answer to ${channel}.` } satisfies ApiError;
}

export function createRuncodeApi(ipc: IpcRendererLike): RuncodeApi {
  const api: Record<string, unknown> = {};
  for (const channel of CHANNELS) {
    // Exactly one argument crosses (undefined for calls that take none): main refuses extras.
    api[methodName(channel)] = async (arg?: unknown) => unwrap(channel, await ipc.invoke(channel, arg));
  }
  for (const event of EVENTS) {
    api[listenerName(event)] = (listener: (payload: unknown) => void) => {
      if (typeof listener !== 'function') throw new TypeError(`${listenerName(event)} needs a function`);
      const wrapped = (_event: unknown, payload: unknown) => listener(payload);
      ipc.on(event, wrapped);
      return () => void ipc.removeListener(event, wrapped);
    };
  }
  return Object.freeze(api) as RuncodeApi;
}
