// Signing in to the local demo server (started with --auto-approve): no person needs to click
// Approve, so instead of a browser we follow the authorize redirect ourselves. The redirect must
// go back to our own loopback listener; anything else is refused.
import http from 'node:http';
import https from 'node:https';
import fs from 'node:fs';
import { RuncodeError } from '../errors.js';

export function followAutoApprove(caFile: string): (url: string) => Promise<void> {
  return async (url) => {
    const ca = fs.readFileSync(caFile);
    const location = await new Promise<string>((resolve, reject) => {
      https
        .get(url, { ca, timeout: 10_000 }, (res) => {
          res.resume();
          const loc = res.headers.location;
          if (res.statusCode && res.statusCode >= 300 && res.statusCode < 400 && loc) resolve(loc);
          else
            reject(
              new RuncodeError(
                'sandbox_failed',
                `the local demo server did not approve the sign-in (HTTP ${res.statusCode})`,
              ),
            );
        })
        .on('timeout', function (this: http.ClientRequest) {
          this.destroy(new RuncodeError('sandbox_failed', 'the local demo server did not answer'));
        })
        .on('error', reject);
    });
    const target = new URL(location);
    if (target.protocol !== 'http:' || target.hostname !== '127.0.0.1') {
      throw new RuncodeError(
        'sandbox_failed',
        'the local demo server redirected somewhere other than this app',
      );
    }
    // Not awaited: signIn answers this request only after openUrl returns and the code is
    // exchanged, so waiting for the answer here would wait forever.
    http.get(target, { timeout: 30_000 }, (res) => res.resume()).on('error', () => undefined);
  };
}
