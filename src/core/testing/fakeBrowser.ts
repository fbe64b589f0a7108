// A scripted browser for sign-in tests: fetches the authorize URL, answers the consent page the
// way its HTML form does (POST request + decision), and follows the redirect to the app's
// loopback listener. Redirects are never followed implicitly.
import http from 'node:http';
import https from 'node:https';

export interface Page {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

export function fetchPage(
  url: string,
  init: { method?: string; ca?: string; form?: Record<string, string> } = {},
): Promise<Page> {
  const u = new URL(url);
  const body = init.form ? new URLSearchParams(init.form).toString() : undefined;
  const mod = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = mod.request(
      u,
      {
        method: init.method ?? (body ? 'POST' : 'GET'),
        ca: init.ca,
        agent: false,
        headers: body ? { 'content-type': 'application/x-www-form-urlencoded' } : {},
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** What a browser does with the authorize URL; resolves with the loopback listener's page. */
export async function browse(
  server: { endpoint: string; ca: string },
  authorizeUrl: string,
  decision: 'approve' | 'deny' = 'approve',
): Promise<Page> {
  let r = await fetchPage(authorizeUrl, { ca: server.ca });
  if (r.status === 200) {
    const nonce = /name="request" value="([^"]+)"/.exec(r.text)?.[1];
    if (!nonce) throw new Error('the consent page has no form');
    // Posted where the form says (its action carries the owner secret), as a browser would.
    const action = (/<form method="post" action="([^"]+)"/.exec(r.text)?.[1] ?? '').replace(/&amp;/g, '&');
    r = await fetchPage(new URL(action, server.endpoint).toString(), {
      ca: server.ca,
      form: { request: nonce, decision },
    });
  }
  const location = r.headers.location;
  if (r.status !== 302 || !location)
    throw new Error(`authorize answered ${r.status}, not a redirect: ${r.text.slice(0, 200)}`);
  if (!/^http:\/\/127\.0\.0\.1:\d+\/callback\?/.test(location))
    throw new Error(`redirected off loopback: ${location}`);
  return fetchPage(location);
}
