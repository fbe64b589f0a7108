// The electron-free IPC router: channel -> validated argument -> the tray part's call -> result, with
// every failure returned as a value ({code, message}), never thrown across the bridge and never
// a stack trace. Electron's ipcMain.handle and the Playwright harness both use it.
import type {
  Calls,
  Channel,
  CallArg,
  EventName,
  Events,
  IpcResult,
  RouterPort,
} from '../../shared/contract.js';
import { RuncodeError, toErrorInfo } from '../errors.js';
import { CALL_SCHEMAS } from './callSchemas.js';
import type { RouterTarget } from './routerTarget.js';

type Handlers = { [C in Channel]: (arg: CallArg<C>) => Promise<ReturnType<Calls[C]>> | ReturnType<Calls[C]> };

function handlers(c: RouterTarget): Handlers {
  return {
    'session:get': () => c.session.view(),
    'session:signIn': (a) => c.session.signIn(a.endpoint, a.caFile),
    'session:cancelSignIn': () => c.session.cancelSignIn(),
    'session:trySandbox': () => c.session.trySandbox(),
    'session:signOut': () => c.session.signOut(),
    'workspaces:list': () => c.workspaces.list(),
    'workspaces:start': (a) => c.workspaces.start(a.name),
    'workspaces:stop': (a) => c.workspaces.stop(a.name),
    'workspaces:connect': (a) => c.workspaces.connect(a.name),
    'forwards:list': () => c.forwards.views(),
    'forwards:toggle': (a) => c.forwards.toggle(a.workspace, a.remotePort, a.enabled),
    'forwards:add': (a) => c.forwards.addPort(a.workspace, a.remotePort),
    'editors:list': () => c.actions.editorList(),
    'editors:open': (a) => c.actions.openEditor(a.name, a.editor),
    'browser:open': (a) => c.actions.openBrowser(a.url),
    'settings:get': () => c.actions.settingsGet(),
    'settings:set': (a) => c.actions.settingsSet(a),
    'sshConfig:get': () => c.actions.sshConfig(),
    'sshConfig:remove': () => c.actions.removeSshConfig(),
    'doctor:run': () => c.actions.doctor(),
    'diagnostics:save': () => c.diagnostics.save(),
    'logs:show': () => c.diagnostics.showLogs(),
    'update:check': () => c.updates.check(),
    'update:restart': () => c.updates.restart(),
    'ui:get': () => c.ui.get(),
    'ui:set': (a) => c.ui.set(a),
    'window:hide': () => c.hideWindow(),
  };
}

export function isChannel(channel: unknown): channel is Channel {
  return typeof channel === 'string' && Object.prototype.hasOwnProperty.call(CALL_SCHEMAS, channel);
}

/** Checks a call's argument; `invalid_argument` naming the field. */
export function checkArgument<C extends Channel>(channel: C, arg: unknown): CallArg<C> {
  const r = CALL_SCHEMAS[channel].safeParse(arg);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'argument';
    throw new RuncodeError(
      'invalid_argument',
      `${channel}: invalid ${where} (${issue?.message ?? 'invalid'})`,
    );
  }
  return r.data as CallArg<C>;
}

export function createRouter(target: RouterTarget): RouterPort {
  const table = handlers(target);
  return {
    async invoke(channel: string, arg: unknown): Promise<IpcResult<unknown>> {
      try {
        if (!isChannel(channel)) throw new RuncodeError('unknown_channel', 'unknown call');
        const checked = checkArgument(channel, arg);
        const value = await (table[channel] as (a: unknown) => unknown)(checked);
        return { ok: true, value: value === undefined ? null : value };
      } catch (e) {
        const info = toErrorInfo(e);
        // Only our own errors carry a message fit for the UI; anything else is described generically.
        return {
          ok: false,
          error:
            info.code === 'internal'
              ? { code: 'internal', message: `something went wrong: ${info.message}` }
              : info,
        };
      }
    },
    subscribe(listener: <E extends EventName>(event: E, payload: Events[E]) => void): () => void {
      return target.subscribe(listener);
    },
  };
}
