// One workspace's ssh host entry, as written to our ssh config. Its own file so the block writer
// and the pins it applies (sshConfigPins.ts) can both use it without importing each other.

export interface HostEntry {
  /** Workspace name; the alias is `runcode.NAME`. */
  name: string;
  hostName: string;
  port: number;
  user: string;
  identityFile: string;
  knownHostsFile: string;
  hostKeyAlias: string;
}
