// Before the browser opens for sign-in: one HTTPS request to the endpoint, trusting only what
// the API calls will trust (the system roots plus the given CA). A wrong CA, a plain-HTTP port or
// a server that is not there fails here, in one line, rather than after the person has clicked
// through the browser.
import { HttpsTransport } from '../api/httpsTransport.js';
import { RuncodeError } from '../errors.js';

const FATAL = new Set(['tls', 'unreachable', 'timeout']);

export async function tlsPreflight(endpoint: string, caFile: string | undefined): Promise<void> {
  const http = new HttpsTransport({ endpoint, ...(caFile ? { caFile } : {}), timeoutMs: 15_000 });
  try {
    // Any HTTP answer at all (this bare authorize request is refused) proves the TLS session.
    await http.request({ method: 'GET', path: '/oauth/authorize', ok: [200, 302] });
  } catch (e) {
    if (e instanceof RuncodeError && FATAL.has(e.code)) throw e;
  } finally {
    http.close();
  }
}
