// The server the /api/v1 route tests run against (apiRoutes*.test.ts), one per test file: short
// boot and stop delays, a fast SSE heartbeat, and an event buffer of 8 so a Last-Event-ID can be
// "too old" after a few transitions.
import type { TestServer } from './serverFixture.js';
import { startTestServer } from './serverFixture.js';

export async function startApiTestServer(): Promise<{ srv: TestServer; token: string }> {
  const srv = await startTestServer({
    bootDelayMs: 150,
    stopDelayMs: 50,
    passTtlSeconds: 600,
    heartbeatMs: 100,
    eventBufferSize: 8,
  });
  return { srv, token: await srv.token() };
}
