import { describe, expect, it } from 'vitest';
import { CHANNELS, EVENTS, listenerName, methodName } from '../shared/contract.js';
import type { IpcRendererLike } from './createRuncodeApi.js';
import { createRuncodeApi } from './createRuncodeApi.js';

type Listener = (event: unknown, ...args: unknown[]) => void;

class FakeIpc implements IpcRendererLike {
  calls: { channel: string; args: unknown[] }[] = [];
  listeners = new Map<string, Set<Listener>>();
  answer: (channel: string, arg: unknown) => unknown = () => ({ ok: true, value: null });
  async invoke(channel: string, ...args: unknown[]) {
    this.calls.push({ channel, args });
    return this.answer(channel, args[0]);
  }
  on(channel: string, l: Listener) {
    if (!this.listeners.has(channel)) this.listeners.set(channel, new Set());
    this.listeners.get(channel)!.add(l);
  }
  removeListener(channel: string, l: Listener) {
    this.listeners.get(channel)?.delete(l);
  }
  emit(channel: string, payload: unknown) {
    const fakeEvent = { sender: { send: 'ipcRenderer itself' } };
    for (const l of this.listeners.get(channel) ?? []) l(fakeEvent, payload);
  }
}

describe('createRuncodeApi', () => {
  it('has exactly one function per channel and one listener per event, and is frozen', () => {
    const api = createRuncodeApi(new FakeIpc()) as unknown as Record<string, unknown>;
    const expected = [...CHANNELS.map(methodName), ...EVENTS.map(listenerName)].sort();
    expect(Object.keys(api).sort()).toEqual(expected);
    for (const k of expected) expect(typeof api[k]).toBe('function');
    expect(Object.isFrozen(api)).toBe(true);
    expect(api.invoke).toBeUndefined();
    expect(api.send).toBeUndefined();
    expect(api.ipcRenderer).toBeUndefined();
  });

  it('sends the one argument on its channel and resolves with the value', async () => {
    const ipc = new FakeIpc();
    ipc.answer = (channel, arg) => ({ ok: true, value: { channel, arg } });
    const api = createRuncodeApi(ipc);
    await expect(api.workspacesStart({ name: 'api' })).resolves.toEqual({
      channel: 'workspaces:start',
      arg: { name: 'api' },
    });
    await api.sessionGet();
    expect(ipc.calls).toEqual([
      { channel: 'workspaces:start', args: [{ name: 'api' }] },
      { channel: 'session:get', args: [undefined] },
    ]);
    // Extra arguments from the page are not forwarded.
    await (api.workspacesStop as unknown as (...a: unknown[]) => Promise<unknown>)({ name: 'x' }, 'extra', 3);
    expect(ipc.calls.at(-1)).toEqual({ channel: 'workspaces:stop', args: [{ name: 'x' }] });
  });

  it('rejects with the ApiError object (code intact), never an Error with a stack', async () => {
    const ipc = new FakeIpc();
    ipc.answer = () => ({ ok: false, error: { code: 'not_running', message: 'api is stopped', extra: 'x' } });
    const api = createRuncodeApi(ipc);
    const err = await api.workspacesConnect({ name: 'api' }).catch((e: unknown) => e);
    expect(err).toEqual({ code: 'not_running', message: 'api is stopped' });
    expect(err).not.toBeInstanceOf(Error);
  });

  it('turns a malformed answer into an internal ApiError', async () => {
    const ipc = new FakeIpc();
    for (const bad of [undefined, null, 'x', { ok: true }, { ok: false, error: 'boom' }, { value: 1 }]) {
      ipc.answer = () => bad;
      await expect(createRuncodeApi(ipc).doctorRun()).rejects.toEqual({
        code: 'internal',
        message: 'The app sent no valid answer to doctor:run.',
      });
    }
  });

  it('delivers event payloads only (not the IPC event) and unsubscribes', () => {
    const ipc = new FakeIpc();
    const api = createRuncodeApi(ipc);
    const got: unknown[][] = [];
    const off = api.onWorkspacesChanged((...args: unknown[]) => got.push(args));
    ipc.emit('workspaces:changed', [{ name: 'api' }]);
    ipc.emit('forwards:changed', []);
    expect(got).toEqual([[[{ name: 'api' }]]]);
    off();
    ipc.emit('workspaces:changed', []);
    expect(got).toHaveLength(1);
    expect(ipc.listeners.get('workspaces:changed')?.size).toBe(0);
  });

  it('refuses a listener that is not a function', () => {
    const api = createRuncodeApi(new FakeIpc());
    expect(() => api.onNotice('x' as unknown as () => void)).toThrow(/onNotice needs a function/);
  });
});
