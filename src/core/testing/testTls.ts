// Test-only certificates for HTTPS fakes in core tests: the local server's own CA code, in memory.
import { createTlsMaterial } from '../../server/ca.js';

export interface TestTls {
  /** PEM of the CA that signed `cert`. */
  ca: string;
  cert: string;
  key: string;
}

export async function createTestTls(): Promise<TestTls> {
  const { ca, cert, key } = await createTlsMaterial();
  return { ca, cert, key };
}
