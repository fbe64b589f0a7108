// The extra CA a user may configure (the local server's ca.pem, a company CA): read once, and
// added to Node's own roots rather than replacing them, so an endpoint behind a public
// certificate keeps working when a CA is also configured.
import fs from 'node:fs';
import tls from 'node:tls';
import { RuncodeError } from '../errors.js';

/** The extra CA (PEM text, or read from a file), or undefined for the system roots alone. */
export function loadCa(opts: { ca?: string; caFile?: string }): string | undefined {
  let pem = opts.ca;
  if (opts.caFile !== undefined) {
    try {
      pem = fs.readFileSync(opts.caFile, 'utf8');
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code ?? String(e);
      throw new RuncodeError('bad_ca', `cannot read the CA file "${opts.caFile}" (${reason})`);
    }
  }
  if (pem === undefined) return undefined;
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new RuncodeError(
      'bad_ca',
      `the CA ${opts.caFile ? `file "${opts.caFile}" ` : ''}holds no PEM certificate`,
    );
  }
  return pem;
}

/**
 * `https.Agent` options trusting the system roots plus the configured CA, if any: one secure
 * context, built once per CA. Given as `ca` instead, every new TLS connection parsed the ~140
 * system roots again into a fresh store, and the agent joined all of them into its pool key on
 * every request (~200 KB of string each time: most of what a long-running `runcode agent`
 * allocated). The trust is the same: the system roots plus that CA.
 */
export function trustedCaOptions(opts: { ca?: string; caFile?: string }): {
  secureContext?: tls.SecureContext;
} {
  const ca = loadCa(opts);
  if (ca === undefined) return {};
  let context = contexts.get(ca);
  if (!context) {
    context = tls.createSecureContext({ ca: [...tls.rootCertificates, ca] });
    contexts.set(ca, context);
  }
  return { secureContext: context };
}

/** Per CA text; a process meets one or two (the local server's, a company CA). */
const contexts = new Map<string, tls.SecureContext>();
