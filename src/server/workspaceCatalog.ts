// The workspaces the local server offers: directories under dataDir/workspaces/<name>, defined
// in dataDir/workspaces.json. With no file, two demo workspaces are seeded (and the file written).
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { RuncodeError } from '../core/errors.js';
import type { WorkspacePort } from '../shared/protocol.js';
import { isPort } from '../shared/port.js';

/** A static HTTP server on the workspace's loopback while it runs: a `dir` (relative) or a `body`. */
export interface StaticHttpServiceDef {
  type: 'static-http';
  port: number;
  dir?: string;
  body?: string;
}
export type ServiceDef = StaticHttpServiceDef;

export interface WorkspaceDef {
  /** `ws-<name>`: stable across restarts, and the SSH user that names this workspace. */
  id: string;
  name: string;
  /** Absolute directory; the workspace's workdir. */
  dir: string;
  ports: WorkspacePort[];
  services: ServiceDef[];
}

/** What workspaces.json holds, per workspace. */
export interface WorkspaceDefInput {
  name: string;
  ports?: WorkspacePort[];
  services?: ServiceDef[];
}

// Stricter than the client's rule (src/shared/workspaceName.ts, 1-63 characters) on purpose: a
// server may hand out fewer names than the client accepts, never more, so every name this demo
// server serves passes the client's checks. Its error message below names this limit.
export const WORKSPACE_NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;

const DEMO_PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>RunCode demo: api</title></head>
<body style="font-family: system-ui, sans-serif; margin: 3em">
<h1>Hello from the <code>api</code> workspace</h1>
<p>This page is served inside the workspace and reached through an SSH port forward.</p>
</body></html>
`;

function fail(file: string, what: string): never {
  throw new RuncodeError('workspaces_invalid', `${file}: ${what}`);
}

function parseDef(file: string, raw: unknown, i: number): WorkspaceDefInput {
  const at = `workspaces[${i}]`;
  if (typeof raw !== 'object' || raw === null) fail(file, `${at} must be an object`);
  const r = raw as Record<string, unknown>;
  if (typeof r.name !== 'string' || !WORKSPACE_NAME.test(r.name)) {
    fail(file, `${at}.name must be 1-31 characters of a-z, 0-9 and '-', starting with a letter or digit`);
  }
  const ports: WorkspacePort[] = [];
  if (r.ports !== undefined && !Array.isArray(r.ports)) fail(file, `${at}.ports must be an array`);
  for (const [j, p] of ((r.ports as unknown[] | undefined) ?? []).entries()) {
    const q = p as Record<string, unknown> | null;
    if (typeof q !== 'object' || q === null || !isPort(q.port))
      fail(file, `${at}.ports[${j}].port must be 1-65535`);
    if (q.label !== undefined && (typeof q.label !== 'string' || !/^[\x20-\x7e]{1,64}$/.test(q.label))) {
      fail(file, `${at}.ports[${j}].label must be 1-64 printable characters`);
    }
    ports.push(q.label === undefined ? { port: q.port } : { port: q.port, label: q.label as string });
  }
  const services: ServiceDef[] = [];
  if (r.services !== undefined && !Array.isArray(r.services)) fail(file, `${at}.services must be an array`);
  for (const [j, s] of ((r.services as unknown[] | undefined) ?? []).entries()) {
    const q = s as Record<string, unknown> | null;
    const sat = `${at}.services[${j}]`;
    if (typeof q !== 'object' || q === null || q.type !== 'static-http')
      fail(file, `${sat}.type must be "static-http"`);
    if (!isPort(q.port)) fail(file, `${sat}.port must be 1-65535`);
    if (q.dir !== undefined && typeof q.dir !== 'string') fail(file, `${sat}.dir must be a string`);
    if (q.body !== undefined && typeof q.body !== 'string') fail(file, `${sat}.body must be a string`);
    if ((q.dir === undefined) === (q.body === undefined))
      fail(file, `${sat} needs exactly one of dir or body`);
    services.push({
      type: 'static-http',
      port: q.port,
      ...(q.dir !== undefined ? { dir: q.dir as string } : { body: q.body as string }),
    });
  }
  return { name: r.name, ports, services };
}

/** Parses and validates workspaces.json's content; errors name the file and the field. */
export function parseWorkspacesFile(file: string, text: string): WorkspaceDefInput[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    fail(file, 'not valid JSON');
  }
  const list = (json as { workspaces?: unknown } | null)?.workspaces;
  if (!Array.isArray(list)) fail(file, 'expected {"workspaces": [...]}');
  const defs = list.map((raw, i) => parseDef(file, raw, i));
  const seen = new Set<string>();
  for (const d of defs) {
    if (seen.has(d.name)) fail(file, `workspace name '${d.name}' appears twice`);
    seen.add(d.name);
  }
  return defs;
}

/** A port free on 127.0.0.1 right now: `preferred` if it is, else one the OS picks. */
export async function freePort(preferred = 0): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(undefined));
      s.listen(port, '127.0.0.1', () => {
        const got = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(got));
      });
    });
  return (preferred && (await tryListen(preferred))) || (await tryListen(0))!;
}

async function seed(file: string, root: string): Promise<void> {
  // 8080 when free, for a memorable demo URL. Test runs start many servers side by side, and a
  // port free at seed time may be taken by start time: they ask for any free port instead.
  const demo = process.env.RUNCODE_DEMO_PORT;
  const port = await freePort(demo !== undefined && /^\d+$/.test(demo) ? Number(demo) : 8080);
  fs.mkdirSync(path.join(root, 'api', 'public'), { recursive: true });
  fs.writeFileSync(path.join(root, 'api', 'public', 'index.html'), DEMO_PAGE);
  fs.mkdirSync(path.join(root, 'web'), { recursive: true });
  const defs: WorkspaceDefInput[] = [
    {
      name: 'api',
      ports: [{ port, label: 'demo web page' }],
      services: [{ type: 'static-http', port, dir: 'public' }],
    },
    { name: 'web', ports: [] },
  ];
  fs.writeFileSync(file, JSON.stringify({ workspaces: defs }, null, 2) + '\n');
}

/** Loads dataDir/workspaces.json (seeding it when absent) and makes each workspace's directory. */
export async function loadWorkspaceCatalog(dataDir: string): Promise<WorkspaceDef[]> {
  const file = path.join(dataDir, 'workspaces.json');
  const root = path.join(dataDir, 'workspaces');
  if (!fs.existsSync(file)) await seed(file, root);
  const defs = parseWorkspacesFile(file, fs.readFileSync(file, 'utf8'));
  return defs.map((d) => {
    const dir = path.resolve(root, d.name);
    fs.mkdirSync(dir, { recursive: true });
    return { id: `ws-${d.name}`, name: d.name, dir, ports: d.ports ?? [], services: d.services ?? [] };
  });
}
