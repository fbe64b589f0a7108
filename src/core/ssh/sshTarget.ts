/**
 * Where and how to reach one workspace over SSH, from a validated pass: the gateway address, the
 * workspace's user, the pass's private key and the gateway host keys it pins.
 */
export interface SshTarget {
  host: string;
  port: number;
  user: string;
  /** `openssh-key-v1` PEM. */
  privateKey: string;
  /** Canonical `ssh-ed25519 AAAA...` lines; the gateway must present one of these. */
  hostKeys: string[];
}
