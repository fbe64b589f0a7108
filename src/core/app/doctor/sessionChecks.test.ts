import { describe, expect, it } from 'vitest';
import { RuncodeError } from '../../errors.js';
import type { RuncodeApp } from '../runcodeApp.js';
import { signInChecks } from './sessionChecks.js';

/** A session whose API call fails with `error` (or answers `me`). */
const session = (error?: RuncodeError) =>
  ({
    endpoint: async () => ({ endpoint: 'https://runcode.example.com' }),
    api: async () => ({
      me: async () => {
        if (error) throw error;
        return { id: 'u1', email: 'me@example.com', name: 'Me' };
      },
    }),
  }) as unknown as RuncodeApp['session'];

describe('sign-in checks', () => {
  it('a malformed stored token blames the token, not the network', async () => {
    const checks = await signInChecks(
      session(
        new RuncodeError('not_signed_in', 'the stored sign-in token is malformed; run `runcode login` again'),
      ),
    );
    expect(checks.find((c) => c.id === 'endpoint')).toMatchObject({ ok: true });
    expect(checks.find((c) => c.id === 'token')).toMatchObject({ ok: false, fix: 'run `runcode login`' });
    expect(JSON.stringify(checks)).not.toMatch(/network/);
  });

  it('a refused token: reachable, not signed in; an unreachable endpoint: check the network', async () => {
    const refused = await signInChecks(session(new RuncodeError('unauthorized', 'token refused')));
    expect(refused.map((c) => [c.id, c.ok])).toEqual([
      ['endpoint', true],
      ['token', false],
    ]);
    const down = await signInChecks(session(new RuncodeError('unreachable', 'connection refused')));
    expect(down).toHaveLength(1);
    expect(down[0]).toMatchObject({ id: 'endpoint', ok: false });
    expect(down[0]!.fix).toMatch(/network/);
  });

  it('a working token: both ok', async () => {
    expect((await signInChecks(session())).every((c) => c.ok)).toBe(true);
  });
});
