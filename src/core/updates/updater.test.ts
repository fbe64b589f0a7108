// The update decisions over a fake backend and a fake clock.
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fakeClock.js';
import type { UpdateBackend, UpdateState } from './updater.js';
import { Updater } from './updater.js';

class FakeBackend implements UpdateBackend {
  offer: string | undefined;
  checkError: Error | undefined;
  downloadError: Error | undefined;
  checks = 0;
  downloads = 0;
  installs = 0;
  async check() {
    this.checks++;
    if (this.checkError) throw this.checkError;
    return this.offer ? { version: this.offer } : undefined;
  }
  async download() {
    this.downloads++;
    if (this.downloadError) throw this.downloadError;
  }
  install() {
    this.installs++;
  }
}

const HOUR = 3_600_000;

function setup(enabled = true) {
  const clock = new FakeClock();
  const backend = new FakeBackend();
  const said: string[] = [];
  const states: UpdateState['kind'][] = [];
  const flag = { enabled };
  const updater = new Updater({
    backend,
    clock,
    enabled: async () => flag.enabled,
    notify: (m) => said.push(m),
    onState: (s) => states.push(s.kind),
    firstCheckMs: 30_000,
    intervalMs: 4 * HOUR,
  });
  return { clock, backend, said, states, flag, updater };
}

describe('Updater', () => {
  it('checks soon after start and every 4 hours; nothing new, nothing said', async () => {
    const { clock, backend, said, updater } = setup();
    await updater.start();
    await clock.advance(29_000);
    expect(backend.checks).toBe(0);
    await clock.advance(1_000);
    expect(backend.checks).toBe(1);
    expect(updater.state).toMatchObject({ kind: 'idle', checkedAt: clock.now() });
    await clock.advance(4 * HOUR);
    expect(backend.checks).toBe(2);
    await clock.advance(4 * HOUR);
    expect(backend.checks).toBe(3);
    expect(said).toEqual([]);
    updater.dispose();
    await clock.advance(8 * HOUR);
    expect(backend.checks).toBe(3);
  });

  it('downloads a newer version in the background, says so once, and offers the restart', async () => {
    const { clock, backend, said, states, updater } = setup();
    backend.offer = '0.2.0';
    await updater.start();
    await clock.advance(30_000);
    expect(states).toEqual(['checking', 'downloading', 'ready']);
    expect(updater.state).toEqual({ kind: 'ready', version: '0.2.0' });
    expect(said).toEqual(['RunCode Tray 0.2.0 is ready: restart to update.']);
    // Ready: later rounds neither check nor download again, nor say it again.
    await clock.advance(8 * HOUR);
    expect([backend.checks, backend.downloads]).toEqual([1, 1]);
    expect(said).toHaveLength(1);
    expect(updater.restartToUpdate()).toBe(true);
    expect(backend.installs).toBe(1);
  });

  it('restart does nothing while nothing is downloaded', async () => {
    const { backend, updater } = setup();
    expect(updater.restartToUpdate()).toBe(false);
    backend.offer = '0.2.0';
    backend.downloadError = new Error('sha512 checksum mismatch');
    await updater.checkNow();
    expect(updater.restartToUpdate()).toBe(false);
    expect(backend.installs).toBe(0);
  });

  it('a failed background check is kept quietly and retried next round', async () => {
    const { clock, backend, said, updater } = setup();
    backend.checkError = new Error('getaddrinfo ENOTFOUND updates.runcode.dev');
    await updater.start();
    await clock.advance(30_000);
    expect(updater.state).toMatchObject({
      kind: 'failed',
      message: 'Could not check for updates: getaddrinfo ENOTFOUND updates.runcode.dev',
    });
    expect(said).toEqual([]);
    backend.checkError = undefined;
    backend.offer = '0.3.0';
    await clock.advance(4 * HOUR);
    expect(updater.state).toEqual({ kind: 'ready', version: '0.3.0' });
  });

  it('a check the user asked for says why it failed (check or download)', async () => {
    const { backend, said, updater } = setup();
    backend.checkError = new Error('HTTP 503');
    expect(await updater.checkNow()).toMatchObject({
      kind: 'failed',
      message: 'Could not check for updates: HTTP 503',
    });
    backend.checkError = undefined;
    backend.offer = '0.2.0';
    backend.downloadError = new Error('sha512 checksum mismatch');
    expect(await updater.checkNow()).toMatchObject({
      kind: 'failed',
      message: 'Could not download RunCode Tray 0.2.0: sha512 checksum mismatch',
    });
    expect(said).toEqual([
      'Could not check for updates: HTTP 503',
      'Could not download RunCode Tray 0.2.0: sha512 checksum mismatch',
    ]);
  });

  it('the Settings switch: off means no checks at all; on again resumes', async () => {
    const { clock, backend, flag, updater } = setup(false);
    await updater.start();
    expect(updater.state).toEqual({ kind: 'disabled' });
    await clock.advance(24 * HOUR);
    expect(backend.checks).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
    flag.enabled = true;
    await updater.settingsChanged();
    await clock.advance(0);
    expect(backend.checks).toBe(1);
    flag.enabled = false;
    await updater.settingsChanged();
    await clock.advance(24 * HOUR);
    expect(backend.checks).toBe(1);
    expect(updater.state).toEqual({ kind: 'disabled' });
  });

  it('turned off between rounds: the due round does not check', async () => {
    const { clock, backend, flag, updater } = setup();
    await updater.start();
    flag.enabled = false; // changed in the file, say, without a settingsChanged yet
    await clock.advance(30_000);
    expect(backend.checks).toBe(0);
    expect(updater.state).toEqual({ kind: 'disabled' });
  });

  it('one check at a time: a check asked for during a background one shares it', async () => {
    const { backend, updater } = setup();
    backend.offer = '0.2.0';
    const [a, b] = await Promise.all([updater.checkNow(), updater.checkNow()]);
    expect(a).toEqual(b);
    expect([backend.checks, backend.downloads]).toEqual([1, 1]);
  });
});
