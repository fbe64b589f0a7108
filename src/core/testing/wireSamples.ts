// Valid protocol-v1 answers for tests to start from and then break one field at a time.
import type { SshPass, Workspace } from '../../shared/protocol.js';
import { generateEd25519KeyPair } from '../ssh/opensshKey.js';

export function sampleWorkspace(overrides: Record<string, unknown> = {}): Workspace {
  return {
    id: 'ws-1',
    name: 'api',
    state: 'running',
    workdir: '/home/dev/api',
    webIdeUrl: 'https://ide.example.com/ws-1',
    ports: [{ port: 3000, label: 'web' }],
    updatedAt: '2025-01-02T03:04:05.000Z',
    ...overrides,
  } as Workspace;
}

export function sampleHostKey(): string {
  return generateEd25519KeyPair().publicKey;
}

export function sampleSshPass(now: Date = new Date(), overrides: Record<string, unknown> = {}): SshPass {
  return {
    user: 'ws-api',
    gateway: { host: '127.0.0.1', port: 2222 },
    hostKeys: [sampleHostKey()],
    expiresAt: new Date(now.getTime() + 30 * 60_000).toISOString(),
    workdir: '/home/dev/api',
    ...overrides,
  } as SshPass;
}
