// Settings shared by the tray and the CLI (`<state>/settings.json`), read and written by both
// through this class, under the lock every RunCode process shares.
import path from 'node:path';
import * as z from '../zodMini.js';
import type { Settings } from '../../shared/contract.js';
import { RuncodeError } from '../errors.js';
import { JsonStateFile } from './jsonStateFile.js';
import { WORKSPACE_NAME } from '../../shared/workspaceName.js';
import { EDITOR_IDS } from '../../shared/editors.js';
import type { WantedForward } from '../forwards/forward.js';

export interface StoredSettings extends Settings {
  /** Forwards the user turned on, restored at start. */
  forwards: WantedForward[];
  /** Ports the user added per workspace, beyond the workspace's own. */
  extraPorts: Record<string, number[]>;
}

export interface SettingsStore {
  get(): Promise<StoredSettings>;
  /** Validates and merges `patch`; rejects `invalid_argument` naming the field. */
  set(patch: Partial<StoredSettings>): Promise<StoredSettings>;
}

/** A port in settings and IPC calls (the zod form of shared/port.ts's isPort, for its messages). */
export const portSchema = z.number().check(z.int(), z.minimum(1), z.maximum(65535));
const port = portSchema;
const name = z.string().check(z.regex(WORKSPACE_NAME));

export const settingsSchema = z.object({
  endpoint: z.optional(z.string().check(z.maxLength(2048))),
  caFile: z.optional(z.string().check(z.maxLength(4096))),
  defaultEditor: z.enum(EDITOR_IDS),
  launchAtLogin: z.boolean(),
  notifications: z.boolean(),
  autoUpdate: z.boolean(),
  sshConfigOptIn: z.boolean(),
  forwards: z
    .array(z.object({ workspace: name, remotePort: port, localPort: z.optional(port) }))
    .check(z.maxLength(1000)),
  extraPorts: z.record(name, z.array(port).check(z.maxLength(64))),
});

export const DEFAULT_SETTINGS: StoredSettings = {
  defaultEditor: 'vscode',
  launchAtLogin: false,
  notifications: true,
  autoUpdate: true,
  sshConfigOptIn: false,
  forwards: [],
  extraPorts: {},
};

const storedSchema = z.partial(settingsSchema);

export class SettingsFile implements SettingsStore {
  private readonly file: JsonStateFile<typeof storedSchema>;

  constructor(stateDir: string) {
    this.file = new JsonStateFile(path.join(stateDir, 'settings.json'), storedSchema, () => ({}));
  }

  async get(): Promise<StoredSettings> {
    return { ...DEFAULT_SETTINGS, ...(await this.file.read()) };
  }

  async set(patch: Partial<StoredSettings>): Promise<StoredSettings> {
    const checked = checkSettingsPatch(patch);
    const saved = await this.file.update((cur) => dropUndefined({ ...cur, ...checked }));
    return { ...DEFAULT_SETTINGS, ...saved };
  }
}

/** Validates a partial settings object; `undefined` values clear a field. */
export function checkSettingsPatch(patch: unknown): Partial<StoredSettings> {
  const r = z.catchall(z.partial(settingsSchema), z.never()).safeParse(patch);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue?.path.join('.') || (issue && 'keys' in issue ? String(issue.keys) : 'settings');
    throw new RuncodeError('invalid_argument', `invalid setting ${field}: ${issue?.message ?? 'invalid'}`);
  }
  return r.data;
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
