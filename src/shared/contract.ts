// The one typed contract between the popover (renderer) and the app (main). The preload exposes
// `window.runcode: RuncodeApi`, one function per entry; the router in core implements `calls`
// with argument validation; main checks the sender first. Every call rejects with an
// `ApiError` ({code, message}) and never with a stack trace.
import type { Me, Workspace } from './protocol.js';
import type { EditorId } from './editors.js';

export interface ApiError {
  code: string;
  message: string;
}

/** An ApiError-shaped value (what a failed call rejects with, once it has crossed the bridge). */
export function isApiError(e: unknown): e is ApiError {
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof (e as ApiError).code === 'string' &&
    typeof (e as ApiError).message === 'string'
  );
}

export type { EditorId };

export interface EditorInfo {
  id: EditorId;
  label: string;
  /** Detected on this machine (where the platform allows; `undefined` = cannot tell). */
  installed?: boolean;
}

export interface WorkspaceView extends Workspace {
  /** `runcode.NAME` */
  alias: string;
  /** Has a key, a pass and an entry in the ssh config. */
  connected: boolean;
  /** ISO time the current pass expires, when connected. */
  passExpiresAt?: string;
  /** A start or stop this app asked for and is waiting on. */
  pending?: 'start' | 'stop';
  /** The SSH link this app keeps to it (while a port is forwarded); absent when it keeps none. */
  link?: LinkView;
}

export interface LinkView {
  /** `down`: reconnecting or failed, and trying again. */
  state: 'connecting' | 'up' | 'down';
  /** ISO time it entered this state. */
  since: string;
  /** Why it is down (the last error). */
  reason?: string;
  /** ISO time of the next attempt, while down. */
  nextRetryAt?: string;
  /** The last SSH round trip (a channel open), in ms, and when it was measured (ISO). */
  rttMs?: number;
  rttAt?: string;
}

export type ForwardState = 'starting' | 'active' | 'reconnecting' | 'failed' | 'off';

export interface ForwardView {
  workspace: string;
  remotePort: number;
  label?: string;
  enabled: boolean;
  state: ForwardState;
  /** Set when active: where the user points the browser. */
  localPort?: number;
  url?: string;
  /** Why it failed or is reconnecting, or a notice such as "5173 was taken; using 5174". */
  reason?: string;
  connections: number;
  bytesIn: number;
  bytesOut: number;
}

export interface SessionView {
  signedIn: boolean;
  endpoint?: string;
  user?: Me;
  /** Where the token lives; `warning` when it is not an OS keychain (or memory only). */
  secretStore: { kind: string; warning?: string };
  /** How workspace state arrives: a live stream, polling every 30 s, or not at all. */
  liveMode: 'stream' | 'polling' | 'offline';
  /** While a browser sign-in is waiting: the URL to copy if the browser did not open. */
  signInUrl?: string;
  /** The local sandbox server is running inside the app. */
  sandbox: boolean;
  /** While the live stream is down: why (its last error) and when it tries again (ISO). */
  liveError?: string;
  liveRetryAt?: string;
  /** Tray updates (absent where the app cannot update itself, e.g. a development build). */
  update?: UpdateView;
}

export interface UpdateView {
  state: 'disabled' | 'idle' | 'checking' | 'downloading' | 'ready' | 'failed';
  /** The version being downloaded or ready to install. */
  version?: string;
  /** Why the last check or download failed. */
  message?: string;
  /** ISO time of the last check that found nothing new. */
  checkedAt?: string;
}

export interface Settings {
  endpoint?: string;
  caFile?: string;
  defaultEditor: EditorId;
  launchAtLogin: boolean;
  notifications: boolean;
  /** Check for, download and offer tray updates (the off switch); absent means on. */
  autoUpdate?: boolean;
  /**
   * The user let RunCode keep a removable block in ~/.ssh/config, for the editors that read it
   * (VS Code, Cursor, Windsurf, Zed, JetBrains Gateway). Off by default: RunCode's own ssh uses
   * its own config. Shared with the CLI (`runcode config-ssh` / `config-ssh --remove`).
   */
  sshConfigOptIn: boolean;
}

/** The tray's own state (main keeps it in electron-store; the CLI never reads it). */
export interface TrayUiState {
  windowPinned: boolean;
  lastTab: 'workspaces' | 'settings' | 'doctor';
  expandedRows: string[];
  /** Workspace name -> the editor it was last opened in. */
  lastEditor: Record<string, EditorId>;
  dismissedTips: string[];
}

export interface SshConfigInfo {
  path: string;
  /** Aliases in our block, e.g. `runcode.api`. */
  hosts: string[];
  backupPath?: string;
}

export interface DoctorCheck {
  id: string;
  title: string;
  ok: boolean;
  detail: string;
  /** How to fix it, when not ok. */
  fix?: string;
}

export interface Notice {
  level: 'info' | 'warning' | 'error';
  message: string;
  code?: string;
}

/** Calls: channel name -> (argument) => result. */
export interface Calls {
  /** Resolves with the current session. Never rejects. */
  'session:get': () => SessionView;
  /** Opens the system browser to sign in; resolves when signed in. Rejects `insecure_endpoint`, `unreachable`, `tls`, `access_denied`, `sign_in_timeout`, `cancelled`. */
  'session:signIn': (args: { endpoint: string; caFile?: string }) => SessionView;
  /** Cancels a sign-in in progress (its call rejects `cancelled`). Resolves always. */
  'session:cancelSignIn': () => void;
  /** Starts the local sandbox server and signs in to it. Rejects `sandbox_failed`. */
  'session:trySandbox': () => SessionView;
  /** Revokes passes and the token, deletes keys and pins, removes the config block. Resolves even when the server cannot be reached (local state is cleared regardless). */
  'session:signOut': () => SessionView;
  /** Rejects `unauthorized` (sign in again), `unreachable`, `bad_response`. */
  'workspaces:list': () => WorkspaceView[];
  /** Asks the backend to start; resolves at once with the workspace (state `starting`). Rejects `not_found`, `unreachable`, ... */
  'workspaces:start': (args: { name: string }) => WorkspaceView;
  'workspaces:stop': (args: { name: string }) => WorkspaceView;
  /** Fresh key, pass and config entry. Resolves with the alias and the command to copy. Rejects `not_running`, `bad_response`, `config_markers`, `config_not_writable`, ... */
  'workspaces:connect': (args: { name: string }) => { alias: string; command: string };
  'forwards:list': () => ForwardView[];
  /** Turns a forward on or off (and remembers it). Resolves with its state; failures show as state `failed` + reason. */
  'forwards:toggle': (args: { workspace: string; remotePort: number; enabled: boolean }) => ForwardView;
  /** Adds a port the user wants offered for a workspace (and turns it on). */
  'forwards:add': (args: { workspace: string; remotePort: number }) => ForwardView;
  'editors:list': () => EditorInfo[];
  /** Makes sure the entry exists and the pass is fresh, then opens the editor. Rejects `not_running`, `launch_failed`, ... */
  'editors:open': (args: { name: string; editor?: EditorId }) => void;
  /** Opens an http(s) URL in the default browser (a forward's local URL, the web IDE). Rejects `bad_url`. */
  'browser:open': (args: { url: string }) => void;
  'settings:get': () => Settings;
  /** Rejects `invalid_argument` naming the field. */
  'settings:set': (args: Partial<Settings>) => Settings;
  'sshConfig:get': () => SshConfigInfo;
  /** Removes our block (connections stay; `connect` writes it again). */
  'sshConfig:remove': () => SshConfigInfo;
  'doctor:run': () => DoctorCheck[];
  /** Writes one redacted archive (logs, doctor, versions, ssh config block); no `path` when the user cancelled the save dialog. */
  'diagnostics:save': () => { path?: string };
  /** Shows the logs folder in the file manager; resolves with its path. */
  'logs:show': () => { path: string };
  /** Checks for an update now (and downloads it). Failures come back as state `failed` with a message. Rejects `not_supported` in a build that cannot update. */
  'update:check': () => UpdateView;
  /** Quits and installs the downloaded update. Rejects `not_ready` when none is downloaded. */
  'update:restart': () => void;
  /** The tray's own state (last tab, expanded rows, ...). */
  'ui:get': () => TrayUiState;
  /** Rejects `invalid_argument` naming the field. */
  'ui:set': (patch: Partial<TrayUiState>) => TrayUiState;
  /** Hides the popover (Esc with nothing left to close in the page). Resolves always. */
  'window:hide': () => void;
}

export type Channel = keyof Calls;

/** Events: name -> payload. */
export interface Events {
  'workspaces:changed': WorkspaceView[];
  'forwards:changed': ForwardView[];
  'session:changed': SessionView;
  notice: Notice;
}

export type EventName = keyof Events;

export const CHANNELS = [
  'session:get',
  'session:signIn',
  'session:cancelSignIn',
  'session:trySandbox',
  'session:signOut',
  'workspaces:list',
  'workspaces:start',
  'workspaces:stop',
  'workspaces:connect',
  'forwards:list',
  'forwards:toggle',
  'forwards:add',
  'editors:list',
  'editors:open',
  'browser:open',
  'settings:get',
  'settings:set',
  'sshConfig:get',
  'sshConfig:remove',
  'doctor:run',
  'diagnostics:save',
  'logs:show',
  'update:check',
  'update:restart',
  'ui:get',
  'ui:set',
  'window:hide',
] as const satisfies readonly Channel[];

export const EVENTS = [
  'workspaces:changed',
  'forwards:changed',
  'session:changed',
  'notice',
] as const satisfies readonly EventName[];

/** Compile-time: a channel or event added to the contract but not to its list fails to compile. */
type Listed<All, L extends readonly unknown[]> = [Exclude<All, L[number]>] extends [never] ? true : false;
type True<T extends true> = T;
export type ContractListsComplete = [
  True<Listed<Channel, typeof CHANNELS>>,
  True<Listed<EventName, typeof EVENTS>>,
];

/** `workspaces:start` -> `workspacesStart`: the preload's function name for a channel. */
export type MethodName<C extends string> = C extends `${infer A}:${infer B}` ? `${A}${Capitalize<B>}` : C;

export function methodName<C extends string>(channel: C): MethodName<C> {
  return channel.replace(/:(.)/, (_m, c: string) => c.toUpperCase()) as MethodName<C>;
}

/** `workspaces:changed` -> `onWorkspacesChanged`. */
export type ListenerName<E extends string> = `on${Capitalize<MethodName<E>>}`;

export function listenerName<E extends string>(event: E): ListenerName<E> {
  const m = methodName(event);
  return `on${m.charAt(0).toUpperCase()}${m.slice(1)}` as ListenerName<E>;
}

/** The single argument of a call (`undefined` for calls that take none). */
export type CallArg<C extends Channel> = Parameters<Calls[C]> extends [infer A] ? A : undefined;

/** What an IPC handler sends back: errors travel as values so their code survives the bridge. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/**
 * `window.runcode`, as the preload exposes it: one named function per call (resolving with the
 * result, rejecting with an `ApiError` object), and one `onX(listener)` per event returning its
 * unsubscribe.
 */
export type RuncodeApi = {
  [C in Channel as MethodName<C>]: (...args: Parameters<Calls[C]>) => Promise<ReturnType<Calls[C]>>;
} & {
  [E in EventName as ListenerName<E>]: (listener: (payload: Events[E]) => void) => () => void;
};

/**
 * The electron-free router's face (src/core/ipc): what Electron's ipcMain handlers and the
 * Playwright harness both call. `invoke` never rejects: errors come back as values.
 */
export interface RouterPort {
  invoke(channel: string, arg: unknown): Promise<IpcResult<unknown>>;
  /** Every event the app emits; returns the unsubscribe. */
  subscribe(listener: <E extends EventName>(event: E, payload: Events[E]) => void): () => void;
}
