// The real gateway host (its own process) for a test file: call useGatewayHost() once at the top;
// `gw` is then a live binding, started before the file's tests and closed after them. A file's
// own beforeAll (a client on it) registered after this call runs after the start, and its
// afterAll before the close (Vitest runs after-hooks in reverse).
import { afterAll, beforeAll } from 'vitest';
import { startGatewayHost } from './gatewayHostProcess.js';
import type { GatewayHost } from './gatewayHostProcess.js';

export let gw: GatewayHost;

export function useGatewayHost(): void {
  beforeAll(async () => {
    gw = await startGatewayHost();
  });
  afterAll(async () => {
    await gw?.close();
  });
}
