// A damaged state file under the CLI (issue 3, "Bad input"): every command that reads it exits 1
// with one clear line naming the file (doctor: a FAIL line with a fix), never a stack trace or an
// "unexpected error", and neither that file nor the ssh config is rewritten or deleted.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileSnapshot } from '../core/testing/fileSnapshot.js';
import type { CliSandbox, CliServer } from './testing/cliSandbox.js';
import { startCliWorld, stopCliWorld } from './testing/cliWorld.js';

let server: CliServer;
let b: CliSandbox;

beforeAll(async () => {
  ({ server, b } = await startCliWorld({
    prepare: (sb) => fs.writeFileSync(sb.sshConfig, 'Host *\n  ServerAliveInterval 30\n'),
  }));
  expect((await b.run(['start', 'api', '--wait'])).code).toBe(0);
  expect((await b.run(['connect', 'api'])).code).toBe(0);
});
afterAll(() => stopCliWorld({ b, server }));

/** Damages `file`, runs each command, and puts the good bytes back. */
async function withDamaged(
  file: string,
  bytes: string,
  fn: (check: (args: string[]) => Promise<{ stdout: string; stderr: string }>) => Promise<void>,
) {
  const p = path.join(b.stateDir, file);
  const good = fs.readFileSync(p);
  fs.writeFileSync(p, bytes);
  // A failed command is logged to <state>/logs on purpose (`runcode logs`); nothing else may change.
  const logs = path.join(b.stateDir, 'logs');
  const snapshot = () =>
    Object.fromEntries(
      Object.entries(fileSnapshot([b.stateDir, path.dirname(b.sshConfig)])).filter(
        ([f]) => !f.startsWith(logs),
      ),
    );
  try {
    const before = snapshot();
    await fn(async (args) => {
      const r = await b.run(args);
      expect({ args, code: r.code }).toEqual({ args, code: 1 });
      expect(r.stderr).not.toMatch(/unexpected error|\n\s+at /);
      expect(snapshot()).toEqual(before);
      return r;
    });
  } finally {
    fs.writeFileSync(p, good);
  }
}

const damaged = (file: string) =>
  new RegExp(
    `^runcode: ${b.stateDir}/${file.replace('.', '\\.')} is damaged \\(.+\\); move it aside or delete it, then try again\\n$`,
  );

describe('a damaged state file', () => {
  it('connections.json: list, connect, disconnect, config-ssh, agent, logout exit 1 naming it; doctor fails with a fix', async () => {
    await withDamaged('connections.json', '{"version":1,"connections":[', async (check) => {
      for (const args of [
        ['list'],
        ['connect', 'api'],
        ['disconnect', 'api'],
        ['config-ssh'],
        ['agent'],
        ['logout'],
      ]) {
        const r = await check(args);
        expect(
          r.stderr
            .split('\n')
            .filter((l) => l.startsWith('runcode: '))
            .join('\n') + '\n',
        ).toMatch(damaged('connections.json'));
      }
      const doctor = await check(['doctor']);
      expect(doctor.stdout).toMatch(/^FAIL\s+Connections state: .*connections\.json is damaged/m);
      expect(doctor.stdout).toMatch(/^\s+fix: move the file aside/m);
    });
    // Put right, everything works again: nothing was lost.
    expect((await b.ssh('runcode.api', ['echo', 'ok'])).stdout).toBe('ok\n');
  });

  it('attached.json: connect, exec, put, get, stop, disconnect exit 1 naming it, before changing anything', async () => {
    await withDamaged('attached.json', '{"version":1,"name":"\u001b[2J"}', async (check) => {
      for (const args of [
        ['connect', 'api'],
        ['exec', '--', 'true'],
        ['put', 'x'],
        ['get', 'x'],
        ['port-forward', '1'],
        ['stop'],
        ['disconnect'],
      ]) {
        expect((await check(args)).stderr).toMatch(damaged('attached.json'));
      }
    });
    expect((await b.run(['exec', '--', 'echo', 'ok'])).stdout).toBe('ok\n');
  });

  it('settings.json: list, login, connect, doctor exit 1 naming it', async () => {
    await withDamaged('settings.json', '{"endpoint": 42}', async (check) => {
      for (const args of [['list'], ['login', '--no-browser'], ['connect', 'api']]) {
        expect((await check(args)).stderr).toMatch(damaged('settings.json'));
      }
      const doctor = await check(['doctor']);
      expect(`${doctor.stdout}${doctor.stderr}`).toMatch(/settings\.json is damaged/);
    });
    expect((await b.run(['list'])).code).toBe(0);
  });
});
