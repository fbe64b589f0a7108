// `runcode agent` keeps passes fresh (issue 3, "Done means"): with a 3-second pass TTL, ssh
// through the generated block still works after 3 TTLs while the agent runs; beside it, the same
// setup without an agent is refused once its pass expires, so the first half can fail.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliServer } from './testing/cliSandbox.js';
import { CliSandbox, requireBuiltCli, startCliServer } from './testing/cliSandbox.js';

const TTL_S = 3;

let server: CliServer;
let withAgent: CliSandbox;
let without: CliSandbox;

beforeAll(async () => {
  requireBuiltCli();
  server = await startCliServer({ autoApprove: true, passTtlSeconds: TTL_S });
  withAgent = new CliSandbox();
  without = new CliSandbox();
});
afterAll(async () => {
  await Promise.all([withAgent?.dispose(), without?.dispose()]);
  await server?.close();
});

async function ready(b: CliSandbox, name: string): Promise<void> {
  expect((await b.login(server)).code).toBe(0);
  const start = await b.run(['start', name, '--wait']);
  expect(start.code, start.stderr).toBe(0);
}

describe('runcode agent', () => {
  it('ssh still works after 3 pass lifetimes with the agent; without it, ssh is refused after one', async () => {
    await Promise.all([ready(withAgent, 'api'), ready(without, 'web')]);

    // The agent starts first and picks up the connection made afterwards (it watches the state).
    const agent = withAgent.spawn(['agent']);
    await agent.waitForStderr(/keeping 0 workspace pass\(es\) fresh/);
    const [a, w] = await Promise.all([withAgent.run(['connect', 'api']), without.run(['connect', 'web'])]);
    expect([a.code, a.stdout, w.code, w.stdout]).toEqual([0, 'ssh runcode.api\n', 0, 'ssh runcode.web\n']);
    const connectedAt = Date.now();
    const keyFiles = () => fs.readdirSync(path.join(withAgent.stateDir, 'keys'));
    const key = keyFiles();
    expect((await without.ssh('runcode.web', ['echo', 'ok'])).stdout).toBe('ok\n');
    await agent.waitForStderr(/^api: pass renewed until /m, TTL_S * 1000);

    const seen: string[] = [];
    for (let i = 1; i <= 3; i++) {
      await sleep(Math.max(0, connectedAt + i * TTL_S * 1000 + 500 - Date.now()));
      const r = await withAgent.ssh('runcode.api', ['echo', `ok${i}`]);
      seen.push(`${r.code} ${r.stdout.trim()} ${r.stderr.trim()}`);
      if (i === 1) {
        const refused = await without.ssh('runcode.web', ['echo', 'ok']);
        expect(refused.code).toBe(255);
        expect(refused.stderr).toMatch(/Permission denied \(publickey\)/);
      }
    }
    expect(Date.now() - connectedAt).toBeGreaterThan(3 * TTL_S * 1000);
    expect(seen).toEqual(['0 ok1 ', '0 ok2 ', '0 ok3 ']);
    // Renewed for the same key: the agent never re-keys behind the user's back.
    expect(keyFiles()).toEqual(key);

    const done = await agent.stop();
    expect(done.code).toBe(0);
    expect(done.stderr).toMatch(/agent stopped/);
    expect((done.stderr.match(/^api: pass renewed until /gm) ?? []).length).toBeGreaterThanOrEqual(4);
    expect(done.stderr).not.toMatch(/renewal failed/);
  });
});
