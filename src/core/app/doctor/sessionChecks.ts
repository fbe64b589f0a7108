// The app around the connections: token storage, the native crypto binding, the control plane
// and the sign-in.
import { createRequire } from 'node:module';
import type { DoctorCheck } from '../../../shared/contract.js';
import { toErrorInfo } from '../../errors.js';
import type { RuncodeApp } from '../runcodeApp.js';

/** ssh2's native crypto binding: without it ssh2 falls back to JavaScript at ~60-70% speed. */
export function sshNativeCrypto(): boolean {
  try {
    const require = createRequire(import.meta.url);
    return Boolean(
      (require('ssh2/lib/protocol/crypto.js') as { bindingAvailable?: boolean }).bindingAvailable,
    );
  } catch {
    return false;
  }
}

export function tokenStoreCheck(store: { kind: string; warning?: string | undefined }): DoctorCheck {
  return {
    id: 'token-store',
    title: 'Token storage',
    ok: true,
    detail: store.warning ? `${store.kind}: ${store.warning}` : `${store.kind}`,
  };
}

export function nativeCryptoCheck(active: boolean): DoctorCheck {
  return {
    id: 'native-crypto',
    title: 'Fast SSH crypto (native binding)',
    ok: true,
    detail: active ? 'active' : 'not built: forwards run at about 60-70% of the speed',
  };
}

/** The control plane over HTTPS, and whether the token is accepted there. */
export async function signInChecks(session: RuncodeApp['session']): Promise<DoctorCheck[]> {
  const ep = await session.endpoint();
  if (!ep) {
    return [
      {
        id: 'endpoint',
        title: 'Control plane',
        ok: false,
        detail: 'not signed in',
        fix: 'run `runcode login --endpoint https://...`',
      },
    ];
  }
  try {
    const me = await (await session.api()).me();
    return [
      { id: 'endpoint', title: 'Control plane reachable over HTTPS', ok: true, detail: ep.endpoint },
      { id: 'token', title: 'Signed in', ok: true, detail: `${me.name} <${me.email}>` },
    ];
  } catch (e) {
    const err = toErrorInfo(e);
    if (err.code === 'not_signed_in') {
      // No usable token (none, or a damaged one): nothing was sent, so the network is not in
      // question; "check the network" would send the user the wrong way.
      return [
        {
          id: 'endpoint',
          title: 'Control plane',
          ok: true,
          detail: `${ep.endpoint} (not contacted: no usable sign-in token)`,
        },
        { id: 'token', title: 'Signed in', ok: false, detail: err.message, fix: 'run `runcode login`' },
      ];
    }
    const reachable = err.code === 'unauthorized';
    const out: DoctorCheck[] = [
      {
        id: 'endpoint',
        title: 'Control plane reachable over HTTPS',
        ok: reachable,
        detail: reachable ? ep.endpoint : err.message,
        ...(reachable ? {} : { fix: 'check the network, the endpoint, and --ca for a private CA' }),
      },
    ];
    if (reachable) {
      out.push({
        id: 'token',
        title: 'Signed in',
        ok: false,
        detail: err.message,
        fix: 'run `runcode login`',
      });
    }
    return out;
  }
}
