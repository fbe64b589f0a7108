import { describe, it, expect } from 'vitest';
import type { SessionView, WorkspaceView } from '../shared/contract.js';
import { createFakeApi } from './testing/fakeApi.js';
import { addBanner, MAX_BANNERS } from './popoverUi.js';
import { applyOverlay, requestedTransitions } from './reducers.js';
import { createPopoverStore } from './store.js';
import { workspace } from './testing/workspace.js';

const signedIn: SessionView = {
  signedIn: true,
  endpoint: 'https://runcode.test',
  secretStore: { kind: 'keychain' },
  liveMode: 'stream',
  sandbox: false,
};
const signedOut: SessionView = {
  signedIn: false,
  secretStore: { kind: 'keychain' },
  liveMode: 'offline',
  sandbox: false,
};
const settings = {
  defaultEditor: 'vscode' as const,
  launchAtLogin: false,
  notifications: true,
  sshConfigOptIn: false,
};

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const visible = (s: { workspaces: readonly WorkspaceView[]; busy: Readonly<Record<string, true>> }) =>
  applyOverlay(s.workspaces, requestedTransitions(s.busy));

describe('popover store', () => {
  it('seeds once from list calls, then follows events', async () => {
    const fake = createFakeApi({
      'session:get': () => signedIn,
      'workspaces:list': () => [workspace('api', 'stopped')],
      'forwards:list': () => [],
      'editors:list': () => [{ id: 'vscode', label: 'VS Code' }],
      'settings:get': () => settings,
    });
    const store = createPopoverStore(fake.api);
    const off = await store.getState().init();
    const s = store.getState();
    expect(s.phase).toBe('ready');
    expect(s.workspaces.map((w) => w.name)).toEqual(['api']);
    expect(s.editors).toHaveLength(1);
    expect(fake.calls.filter((c) => c.channel === 'workspaces:list')).toHaveLength(1);

    fake.emit('workspaces:changed', [workspace('api', 'running'), workspace('web')]);
    expect(store.getState().workspaces.map((w) => w.state)).toEqual(['running', 'stopped']);
    fake.emit('notice', { level: 'warning', message: 'Refreshing the pass for api keeps failing' });
    expect(store.getState().banners.at(-1)?.text).toMatch(/keeps failing/);

    // Signing out elsewhere clears the list.
    fake.emit('session:changed', signedOut);
    expect(store.getState().workspaces).toEqual([]);
    off();
    expect(fake.listenerCount()).toBe(0);
  });

  it('asks for everything the first screen needs at once, before the session answers', async () => {
    const session = deferred<SessionView>();
    const fake = createFakeApi({
      'session:get': () => session.promise,
      'ui:get': () => ({
        windowPinned: false,
        lastTab: 'workspaces',
        expandedRows: ['api'],
        lastEditor: {},
        dismissedTips: [],
      }),
      'workspaces:list': () => [workspace('api')],
      'forwards:list': () => [],
      'editors:list': () => [],
      'settings:get': () => settings,
    });
    const store = createPopoverStore(fake.api);
    const started = store.getState().init();
    expect(fake.calls.map((c) => c.channel).sort()).toEqual([
      'editors:list',
      'forwards:list',
      'session:get',
      'settings:get',
      'ui:get',
      'workspaces:list',
    ]);
    expect(store.getState().phase).toBe('loading');
    session.resolve(signedIn);
    await started;
    expect(store.getState()).toMatchObject({ phase: 'ready', expanded: 'api', settings });
    expect(store.getState().workspaces.map((w) => w.name)).toEqual(['api']);
    expect(fake.calls).toHaveLength(6);
  });

  it('signed out, drops the early workspace list quietly and keeps the settings', async () => {
    const fake = createFakeApi({
      'session:get': () => signedOut,
      'workspaces:list': () => Promise.reject({ code: 'not_signed_in', message: 'Not signed in' }),
      'settings:get': () => settings,
    });
    const store = createPopoverStore(fake.api);
    await store.getState().init();
    expect(store.getState()).toMatchObject({ phase: 'ready', settings, workspaces: [], banners: [] });
  });

  it('start is optimistic and rolls back with a message on error', async () => {
    const pending = deferred<WorkspaceView>();
    const fake = createFakeApi({
      'session:get': () => signedIn,
      'workspaces:list': () => [workspace('api', 'stopped')],
      'forwards:list': () => [],
      'editors:list': () => [],
      'settings:get': () => settings,
      'workspaces:start': () => pending.promise,
    });
    const store = createPopoverStore(fake.api);
    await store.getState().init();
    const started = store.getState().start('api');
    expect(visible(store.getState())[0]?.state).toBe('starting');
    // An event with the old state does not undo the optimistic view.
    fake.emit('workspaces:changed', [workspace('api', 'stopped')]);
    expect(visible(store.getState())[0]?.state).toBe('starting');
    pending.reject({ code: 'unreachable', message: 'connect ECONNREFUSED' });
    await started;
    expect(visible(store.getState())[0]?.state).toBe('stopped');
    expect(store.getState().banners.at(-1)).toMatchObject({ level: 'error' });
    expect(store.getState().banners.at(-1)?.text).toMatch(/^Couldn't start api: Can't reach RunCode/);
  });

  it('start success takes the server answer', async () => {
    const fake = createFakeApi({
      'session:get': () => signedIn,
      'workspaces:list': () => [workspace('api', 'stopped')],
      'forwards:list': () => [],
      'editors:list': () => [],
      'settings:get': () => settings,
      'workspaces:stop': () => workspace('api', 'stopping'),
      'workspaces:start': () => workspace('api', 'starting'),
    });
    const store = createPopoverStore(fake.api);
    await store.getState().init();
    await store.getState().start('api');
    expect(store.getState().busy).toEqual({});
    expect(store.getState().workspaces[0]?.state).toBe('starting');
  });

  it('a cancelled sign-in is quiet; other failures say why', async () => {
    let answer: unknown = { code: 'cancelled', message: 'cancelled' };
    const fake = createFakeApi({
      'session:get': () => signedOut,
      'settings:get': () => settings,
      'session:signIn': () => Promise.reject(answer),
    });
    const store = createPopoverStore(fake.api);
    await store.getState().init();
    await store.getState().signIn(' https://runcode.test ');
    expect(fake.calls.at(-1)).toEqual({
      channel: 'session:signIn',
      arg: { endpoint: 'https://runcode.test' },
    });
    expect(store.getState().banners).toEqual([]);
    expect(store.getState().signingIn).toBe(false);
    answer = { code: 'insecure_endpoint', message: 'http is refused' };
    await store.getState().signIn('http://x');
    expect(store.getState().banners.at(-1)?.text).toMatch(/https:\/\//);
  });

  it('loads the lists when a sign-in completes', async () => {
    const fake = createFakeApi({
      'session:get': () => signedOut,
      'settings:get': () => settings,
      'session:signIn': () => signedIn,
      'workspaces:list': () => [workspace('api')],
      'forwards:list': () => [],
      'editors:list': () => [],
    });
    const store = createPopoverStore(fake.api);
    await store.getState().init();
    await store.getState().signIn('https://runcode.test');
    await new Promise((r) => setTimeout(r, 0));
    expect(store.getState().session?.signedIn).toBe(true);
    expect(store.getState().workspaces).toHaveLength(1);
  });

  it('marks busy keys and ignores a double click', async () => {
    const pending = deferred<{ alias: string; command: string }>();
    const fake = createFakeApi({ 'workspaces:connect': () => pending.promise });
    const store = createPopoverStore(fake.api);
    const first = store.getState().connect('api');
    expect(store.getState().busy['connect:api']).toBe(true);
    expect(await store.getState().connect('api')).toBeUndefined();
    pending.resolve({ alias: 'runcode.api', command: 'ssh runcode.api' });
    expect(await first).toBe('ssh runcode.api');
    expect(store.getState().busy).toEqual({});
    expect(fake.calls).toHaveLength(1);
  });

  it('a broken bridge shows a message instead of throwing', async () => {
    const fake = createFakeApi({ 'session:get': () => Promise.reject(new Error('no handler\n    at x')) });
    const store = createPopoverStore(fake.api);
    await store.getState().init();
    expect(store.getState().phase).toBe('broken');
    expect(store.getState().banners[0]?.text).toBe("Couldn't load RunCode Tray: no handler");
  });

  it('keeps a few distinct banners', () => {
    let b = addBanner([], { id: 1, level: 'info', text: 'x' });
    b = addBanner(b, { id: 2, level: 'info', text: 'x' });
    expect(b.map((x) => x.id)).toEqual([2]);
    for (let i = 3; i < 10; i++) b = addBanner(b, { id: i, level: 'error', text: `e${i}` });
    expect(b).toHaveLength(MAX_BANNERS);
  });

  it('moves the selection and expands rows', () => {
    const store = createPopoverStore(createFakeApi({}).api);
    const v = [{ name: 'a' }, { name: 'b' }];
    store.getState().moveSelection(v, 1);
    store.getState().moveSelection(v, 1);
    expect(store.getState().selected).toBe('b');
    store.getState().toggleExpanded('a');
    expect(store.getState()).toMatchObject({ expanded: 'a', selected: 'a' });
    store.getState().toggleExpanded('a');
    expect(store.getState().expanded).toBeUndefined();
    // A new query starts from its first row.
    store.getState().setQuery('b');
    expect(store.getState()).toMatchObject({ query: 'b', selected: undefined });
  });
});
