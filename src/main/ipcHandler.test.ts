import { describe, expect, it } from 'vitest';
import type { IpcResult, RouterPort } from '../shared/contract.js';
import type { InvokeEventLike } from './ipcHandler.js';
import { createIpcHandler, senderInfo } from './ipcHandler.js';

const PAGE = 'file:///app/out/renderer/index.html';

class RecordingRouter implements RouterPort {
  calls: [string, unknown][] = [];
  async invoke(channel: string, arg: unknown): Promise<IpcResult<unknown>> {
    this.calls.push([channel, arg]);
    return { ok: true, value: 'done' };
  }
  subscribe() {
    return () => undefined;
  }
}

type Frame = { url: string; parent: unknown; processId: number; routingId: number };

function event(o: { id?: number; frame?: Partial<Frame> | null } = {}): InvokeEventLike {
  const main = { url: PAGE, parent: null, processId: 10, routingId: 1 };
  const frame = o.frame === null ? null : { ...main, ...o.frame };
  return { sender: { id: o.id ?? 5, mainFrame: main }, senderFrame: frame } as unknown as InvokeEventLike;
}

function setup(windowId: () => number | undefined = () => 5) {
  const router = new RecordingRouter();
  const logs: string[] = [];
  const handler = createIpcHandler('workspaces:start', {
    router,
    windowId,
    allowedOrigins: [PAGE],
    log: (l) => logs.push(l),
  });
  return { router, logs, handler };
}

const forbidden = {
  ok: false,
  error: { code: 'forbidden', message: 'This window may not talk to RunCode Tray.' },
};

describe('senderInfo', () => {
  it('reads the main frame as the main frame, and an iframe as not', () => {
    expect(senderInfo(event())).toEqual({ frameUrl: PAGE, isMainFrame: true, webContentsId: 5 });
    expect(senderInfo(event({ frame: { routingId: 2, parent: {} } })).isMainFrame).toBe(false);
    expect(senderInfo(event({ frame: { routingId: 2 } })).isMainFrame).toBe(false);
    expect(senderInfo(event({ frame: { processId: 11 } })).isMainFrame).toBe(false);
    expect(senderInfo(event({ frame: null }))).toEqual({
      frameUrl: undefined,
      isMainFrame: false,
      webContentsId: 5,
    });
  });
});

describe('createIpcHandler', () => {
  it('passes a trusted call with its one argument to the router', async () => {
    const { router, handler } = setup();
    await expect(handler(event(), { name: 'api' })).resolves.toEqual({ ok: true, value: 'done' });
    await handler(event());
    expect(router.calls).toEqual([
      ['workspaces:start', { name: 'api' }],
      ['workspaces:start', undefined],
    ]);
  });

  it('refuses (and logs) another window, an iframe, a foreign page, a gone frame; the router never sees them', async () => {
    const { router, logs, handler } = setup();
    for (const e of [
      event({ id: 6 }),
      event({ frame: { parent: {}, routingId: 7 } }),
      event({ frame: { url: 'https://evil.example/' } }),
      event({ frame: { url: 'file:///tmp/evil.html' } }),
      event({ frame: null }),
    ]) {
      await expect(handler(e, { name: 'api' })).resolves.toEqual(forbidden);
    }
    expect(router.calls).toEqual([]);
    expect(logs).toHaveLength(5);
    expect(logs[0]).toMatch(/refused IPC workspaces:start: webContents 6 is not the popover window/);
  });

  it('refuses before the window exists', async () => {
    const { router, handler } = setup(() => undefined);
    await expect(handler(event(), {})).resolves.toEqual(forbidden);
    expect(router.calls).toEqual([]);
  });

  it('refuses extra arguments', async () => {
    const { router, handler } = setup();
    await expect(handler(event(), { name: 'api' }, 'extra')).resolves.toMatchObject({
      ok: false,
      error: { code: 'invalid_argument' },
    });
    expect(router.calls).toEqual([]);
  });
});
