// The argument of every call, as the renderer may send it: checked again here in main, whatever
// the renderer checked ("don't trust the renderer"). Unknown keys are refused.
import { z } from 'zod';
import type { Calls, Channel } from '../../shared/contract.js';
import { EDITOR_IDS } from '../../shared/editors.js';
import { portSchema } from '../state/settingsFile.js';
import { uiPatchSchema } from '../desktop/uiState.js';
import { WORKSPACE_NAME } from '../../shared/workspaceName.js';

const name = z.string().regex(WORKSPACE_NAME, 'a workspace name');
const port = portSchema;
const none = z.undefined();

export const CALL_SCHEMAS = {
  'session:get': none,
  'session:signIn': z
    .object({
      endpoint: z.string().min(1).max(2048),
      caFile: z
        .string()
        .max(4096)
        .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), 'an absolute path')
        .optional(),
    })
    .strict(),
  'session:cancelSignIn': none,
  'session:trySandbox': none,
  'session:signOut': none,
  'workspaces:list': none,
  'workspaces:start': z.object({ name }).strict(),
  'workspaces:stop': z.object({ name }).strict(),
  'workspaces:connect': z.object({ name }).strict(),
  'forwards:list': none,
  'forwards:toggle': z.object({ workspace: name, remotePort: port, enabled: z.boolean() }).strict(),
  'forwards:add': z.object({ workspace: name, remotePort: port }).strict(),
  'editors:list': none,
  'editors:open': z.object({ name, editor: z.enum(EDITOR_IDS).optional() }).strict(),
  'browser:open': z.object({ url: z.string().min(1).max(2048) }).strict(),
  'settings:get': none,
  'settings:set': z
    .object({
      endpoint: z.string().max(2048).optional(),
      caFile: z.string().max(4096).optional(),
      defaultEditor: z.enum(EDITOR_IDS).optional(),
      launchAtLogin: z.boolean().optional(),
      notifications: z.boolean().optional(),
      autoUpdate: z.boolean().optional(),
      sshConfigOptIn: z.boolean().optional(),
    })
    .strict(),
  'sshConfig:get': none,
  'sshConfig:remove': none,
  'doctor:run': none,
  'diagnostics:save': none,
  'logs:show': none,
  'update:check': none,
  'update:restart': none,
  'ui:get': none,
  'ui:set': uiPatchSchema,
  'window:hide': none,
} satisfies Record<Channel, z.ZodType>;

/** What a channel takes from the renderer: its one argument, or `undefined` when it takes none. */
type ArgOf<C extends Channel> = Parameters<Calls[C]> extends [] ? undefined : Parameters<Calls[C]>[0];
/** Each schema accepts exactly the contract's argument (a drift either way fails to compile). */
type SchemaAgrees<C extends Channel> = [z.infer<(typeof CALL_SCHEMAS)[C]>] extends [ArgOf<C>]
  ? [ArgOf<C>] extends [z.infer<(typeof CALL_SCHEMAS)[C]>]
    ? true
    : false
  : false;
type AllTrue<T extends Record<Channel, true>> = T;
export type CallSchemasMatchContract = AllTrue<{ [C in Channel]: SchemaAgrees<C> }>;
