// Per connection: the key on disk, and the gateway answering with the pinned host key.
import type { DoctorCheck } from '../../../shared/contract.js';
import { toErrorInfo } from '../../errors.js';
import type { ConnectionRecord } from '../../state/connectionStore.js';
import type { RuncodeApp } from '../runcodeApp.js';

export async function keyCheck(app: Pick<RuncodeApp, 'keys'>, rec: ConnectionRecord): Promise<DoctorCheck> {
  const key = await app.keys.check(rec.name, rec.publicKey);
  return {
    id: `key:${rec.name}`,
    title: `Key for ${rec.name}`,
    ok: key.ok,
    detail: key.ok ? `${key.privateKeyPath} (0600)` : key.problems.join('; '),
    fix: `run \`runcode connect ${rec.name}\` for a fresh key`,
  };
}

export async function gatewayCheck(
  app: Pick<RuncodeApp, 'probe' | 'clock'>,
  rec: ConnectionRecord,
): Promise<DoctorCheck> {
  const left = Math.round((Date.parse(rec.pass.expiresAt) - app.clock.now()) / 60_000);
  const base = { id: `gateway:${rec.name}`, title: `Gateway answers for ${rec.name} with the pinned key` };
  try {
    await app.probe(rec.name);
    return { ...base, ok: true, detail: `pass valid for ${left} more minute(s)` };
  } catch (e) {
    return {
      ...base,
      ok: false,
      detail: toErrorInfo(e).message,
      fix:
        left <= 0
          ? `the pass expired: run \`runcode connect ${rec.name}\` (and keep \`runcode agent\` or the tray running)`
          : 'is the workspace running? `runcode list`',
    };
  }
}
