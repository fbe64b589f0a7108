// A small HTTPS client for tests of the local server: trusts only the given CA, never follows
// redirects (tests look at them), and returns the parsed JSON when there is some.
import https from 'node:https';

export interface HttpsResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

export interface HttpsRequestOptions {
  method?: string;
  token?: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (with content-type application/json unless headers say otherwise). */
  raw?: string | Buffer;
  headers?: Record<string, string>;
}

export function httpsRequest(
  endpoint: string,
  ca: string,
  path: string,
  o: HttpsRequestOptions = {},
): Promise<HttpsResponse> {
  const url = new URL(path, endpoint);
  const data = o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
  const headers: Record<string, string> = {};
  if (data !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(data));
  }
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  Object.assign(headers, o.headers);
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      { method: o.method ?? (data === undefined ? 'GET' : 'POST'), headers, ca, timeout: 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: ${path}`)));
    req.on('error', reject);
    req.end(data);
  });
}
