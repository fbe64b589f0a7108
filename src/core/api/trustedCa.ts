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

/** `https.Agent` options trusting the system roots plus the configured CA, if any. */
export function trustedCaOptions(opts: { ca?: string; caFile?: string }): { ca?: string[] } {
  const ca = loadCa(opts);
  return ca ? { ca: [...tls.rootCertificates, ca] } : {};
}
