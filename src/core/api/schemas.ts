// Everything the backend sends is untrusted input (DESIGN.md): each field is checked here,
// fail closed, before it can reach a file, a process or a URL. Names end up in ssh config
// aliases, hosts and users in config lines, workdirs in editor URLs, host keys in known_hosts,
// so each rule below refuses whatever could break out of the place the value is written to.
// Unknown extra fields are dropped (never passed on), so a newer server stays compatible. Written
// with zod/mini (../zodMini.ts): classic zod's checking core, without its weight.
import net from 'node:net';
import * as z from '../zodMini.js';
import type { ApiErrorBody, Me, SshPass, Workspace } from '../../shared/protocol.js';
import { RuncodeError } from '../errors.js';
import { parseEd25519PublicKey } from '../ssh/opensshKey.js';
import { WORKSPACE_NAME } from '../../shared/workspaceName.js';

/** A pass may not claim to live longer than this: a server-capped pass lasts about 30 minutes. */
export const MAX_PASS_LIFETIME_MS = 24 * 60 * 60 * 1000;

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
// C0/C1 controls, DEL, and the bidi/zero-width marks that can disguise text shown to a person.
// eslint-disable-next-line no-control-regex
const DISPLAY_UNSAFE = /[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/;

export const workspaceNameSchema = z
  .string({ error: 'workspace name' })
  .check(z.regex(WORKSPACE_NAME, { error: 'workspace name' }));

export const idSchema = z.string({ error: 'id' }).check(
  z.regex(/^[A-Za-z0-9._-]{1,128}$/, { error: 'id' }),
  // `.` and `..` would turn /workspaces/{id} into another path once a URL is normalised.
  z.refine((v) => v !== '.' && v !== '..', { error: 'id' }),
);

export const workspaceStateSchema = z.enum(['stopped', 'starting', 'running', 'stopping', 'failed'], {
  error: 'workspace state',
});

/** An absolute, normalised POSIX path of printable ASCII without `%`, quotes or backslashes. */
export const workdirSchema = z.string({ error: 'workdir' }).check(
  z.maxLength(1024, { error: 'workdir' }),
  z.regex(/^\/[\x20-\x7e]*$/, { error: 'workdir' }),
  z.refine((v) => !/[%"'`\\]/.test(v), { error: 'workdir' }),
  z.refine(
    (v) =>
      v === '/' ||
      v
        .slice(1)
        .split('/')
        .every((s) => s !== '' && s !== '.' && s !== '..'),
    { error: 'workdir' },
  ),
);

export const webIdeUrlSchema = z.string({ error: 'web IDE URL' }).check(
  z.maxLength(2048, { error: 'web IDE URL' }),
  z.regex(/^https:\/\/[\x21-\x7e]+$/, { error: 'web IDE URL' }),
  z.refine(
    (v) => {
      try {
        const u = new URL(v);
        return u.protocol === 'https:' && u.hostname !== '' && u.username === '' && u.password === '';
      } catch {
        return false;
      }
    },
    { error: 'web IDE URL' },
  ),
);

export const portNumber = (label: string) =>
  z
    .number({ error: label })
    .check(z.int({ error: label }), z.minimum(1, { error: label }), z.maximum(65535, { error: label }));

export const portLabelSchema = z
  .string({ error: 'port label' })
  .check(z.maxLength(64, { error: 'port label' }), z.regex(PRINTABLE_ASCII, { error: 'port label' }));

export const timestamp = (label: string) => z.iso.datetime({ offset: true, error: label });

const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;

/** A DNS name or a bare IPv4/IPv6 literal: no zone id, brackets, spaces, wildcards or quotes. */
export const gatewayHostSchema = z.string({ error: 'gateway host' }).check(
  z.maxLength(253, { error: 'gateway host' }),
  z.refine((v) => HOSTNAME.test(v) || net.isIPv4(v) || (net.isIPv6(v) && /^[0-9A-Fa-f:.]+$/.test(v)), {
    error: 'gateway host',
  }),
);

export const sshUserSchema = z
  .string({ error: 'SSH user' })
  .check(z.regex(/^[A-Za-z0-9._][A-Za-z0-9._-]{0,63}$/, { error: 'SSH user' }));

/** One `ssh-ed25519 AAAA...` line, returned canonical (no comment). */
export const hostKeySchema = z.pipe(
  z
    .string({ error: 'host key' })
    .check(z.maxLength(1024, { error: 'host key' }), z.regex(PRINTABLE_ASCII, { error: 'host key' })),
  z.transform((v: string, ctx) => {
    const parsed = parseEd25519PublicKey(v);
    if (!parsed) {
      ctx.issues.push({ code: 'custom', message: 'host key', input: v });
      return z.NEVER;
    }
    return parsed.line;
  }),
);

const displayText = (label: string, max: number) =>
  z.string({ error: label }).check(
    z.maxLength(max, { error: label }),
    z.refine((v) => !DISPLAY_UNSAFE.test(v), { error: label }),
  );

/** The longest stateReason kept: a sentence, not a log. */
export const MAX_STATE_REASON = 300;

/**
 * A workspace's stateReason: one line of display-safe text without markup characters. It only
 * explains, so a bad one is dropped (the workspace is still shown) rather than refusing the list.
 */
export const stateReasonSchema = z.string().check(
  z.minLength(1),
  z.maxLength(MAX_STATE_REASON),
  z.refine((v) => !DISPLAY_UNSAFE.test(v) && !/[<>]/.test(v) && v.trim() !== ''),
);

const workspaceObject = z.object(
  {
    id: idSchema,
    name: workspaceNameSchema,
    state: workspaceStateSchema,
    workdir: workdirSchema,
    webIdeUrl: webIdeUrlSchema,
    ports: z
      .array(
        z.object({ port: portNumber('port'), label: z.optional(portLabelSchema) }, { error: 'port entry' }),
        { error: 'ports' },
      )
      .check(z.maxLength(64, { error: 'ports' })),
    updatedAt: timestamp('update time'),
    stateReason: z.catch(z.optional(stateReasonSchema), undefined),
  },
  { error: 'workspace' },
);

export const workspaceSchema = z.pipe(
  workspaceObject,
  z.transform(({ stateReason, ...w }: z.output<typeof workspaceObject>) =>
    stateReason === undefined ? w : { ...w, stateReason },
  ),
);

export const workspaceListSchema = z.object(
  {
    workspaces: z
      .array(workspaceSchema, { error: 'workspace list' })
      .check(z.maxLength(1000, { error: 'workspace list' })),
  },
  { error: 'workspace list' },
);

export const sshPassSchema = z.object(
  {
    user: sshUserSchema,
    gateway: z.object({ host: gatewayHostSchema, port: portNumber('gateway port') }, { error: 'gateway' }),
    hostKeys: z
      .array(hostKeySchema, { error: 'host keys' })
      .check(z.minLength(1, { error: 'host keys' }), z.maxLength(8, { error: 'host keys' })),
    expiresAt: timestamp('expiry time'),
    workdir: workdirSchema,
  },
  { error: 'SSH pass' },
);

export const meSchema = z.object(
  {
    id: idSchema,
    email: displayText('email', 254),
    name: displayText('account name', 200),
  },
  { error: 'account' },
);

export const tokenResponseSchema = z.object(
  {
    access_token: z
      .string({ error: 'access token' })
      .check(z.regex(/^[A-Za-z0-9\-._~+/]{16,4096}=*$/, { error: 'access token' })),
    token_type: z.string({ error: 'token type' }).check(z.regex(/^bearer$/i, { error: 'token type' })),
  },
  { error: 'token response' },
);

export const errorBodySchema = z.object({
  error: z.object({
    code: z.string().check(z.regex(/^[a-z0-9_]{1,64}$/)),
    message: displayText('error message', 500).check(z.minLength(1)),
  }),
});

/** `workspaces[2].name` from a zod path under a root name. */
export function formatPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : `${out ? '.' : ''}${String(seg)}`;
  return out || 'the answer';
}

function lookup(data: unknown, path: readonly PropertyKey[]): unknown {
  let cur = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[seg];
  }
  return cur;
}

/** Parses `data` or throws RuncodeError('bad_response') naming the first offending field. */
export function parseOrRefuse<S extends z.ZodMiniType>(schema: S, data: unknown, root: string): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const where = formatPath(root, issue.path);
  const missing = issue.path.length > 0 && lookup(data, issue.path) === undefined;
  const what = issue.message.startsWith('Invalid') ? 'value' : issue.message;
  throw new RuncodeError(
    'bad_response',
    missing
      ? `the server sent no ${what} for ${where}; refusing it`
      : `the server sent an invalid ${what} for ${where}; refusing it`,
  );
}

export function parseWorkspace(json: unknown): Workspace {
  return parseOrRefuse(workspaceSchema, json, 'workspace');
}

export function parseWorkspaceList(json: unknown): Workspace[] {
  return parseOrRefuse(workspaceListSchema, json, '').workspaces;
}

export function parseMe(json: unknown): Me {
  return parseOrRefuse(meSchema, json, 'me');
}

export function parseTokenResponse(json: unknown): { accessToken: string } {
  return { accessToken: parseOrRefuse(tokenResponseSchema, json, 'token').access_token };
}

/** An SshPass whose expiry lies after `now` and no further than MAX_PASS_LIFETIME_MS from it. */
export function parseSshPass(json: unknown, now: Date = new Date()): SshPass {
  const pass = parseOrRefuse(sshPassSchema, json, 'sshPass');
  const expires = Date.parse(pass.expiresAt);
  if (!(expires > now.getTime())) {
    throw new RuncodeError(
      'bad_response',
      `the server sent an SSH pass that has already expired (sshPass.expiresAt ${pass.expiresAt}); refusing it. If this keeps happening, check this computer's clock`,
    );
  }
  if (expires - now.getTime() > MAX_PASS_LIFETIME_MS) {
    throw new RuncodeError(
      'bad_response',
      `the server sent an SSH pass valid for implausibly long (sshPass.expiresAt ${pass.expiresAt}); refusing it`,
    );
  }
  return pass;
}

/** The server's `{error:{code,message}}`, or undefined if the body is not in that shape. */
export function parseErrorBody(json: unknown): ApiErrorBody | undefined {
  const r = errorBodySchema.safeParse(json);
  return r.success ? r.data : undefined;
}
