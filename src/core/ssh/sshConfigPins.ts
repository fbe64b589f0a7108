// What every RunCode host sets explicitly, so that no other section of an ssh config can bend it.
// OpenSSH takes, for each option, the first value any matching section gives: an option our host
// leaves unset is supplied by the next `Host *` (or an included file, or /etc/ssh/ssh_config).
// So each option a later section could use to redirect the connection, expose something of the
// user's, or run something locally is pinned here (ssh_config(5), OpenSSH 8.5 and later; each
// one proven against a hostile `Host *` in sshConfigPins.test.ts with real `ssh -G`).
// Command keywords only ever get `none`/`no`: never a command.
import type { HostEntry } from './hostEntry.js';

export interface Pin {
  keyword: string;
  /** As written in the config. */
  value: string;
  /** Key and value as `ssh -G` prints them; value null: `ssh -G` prints nothing (set to none). */
  g: string;
  effective: string | null;
}

const p = (keyword: string, value: string, effective: string | null = value): Pin => ({
  keyword,
  value,
  g: keyword.toLowerCase(),
  effective,
});

/** The fixed lines of every host, in the order they are written (after the per-host values). */
export const FIXED_PINS: readonly Pin[] = [
  // Only our key is offered (these two are written right after IdentityFile).
  p('IdentitiesOnly', 'yes'),
  p('IdentityAgent', 'none'),
  // Only the pinned gateway key is accepted.
  p('StrictHostKeyChecking', 'yes', 'true'),
  p('UpdateHostKeys', 'no', 'false'),
  // Nothing of the user's is handed to the gateway, nothing runs locally, no shared master.
  p('ForwardAgent', 'no'),
  p('ForwardX11', 'no'),
  p('ForwardX11Trusted', 'no'),
  p('PermitLocalCommand', 'no'),
  p('LocalCommand', 'none', null),
  // The connection goes where HostName/Port say, directly.
  p('ProxyCommand', 'none', null),
  p('ProxyJump', 'none', null),
  p('ControlMaster', 'no', 'false'),
  p('ControlPath', 'none', null),
  p('ControlPersist', 'no'),
  p('CanonicalizeHostname', 'no', 'false'),
  p('KnownHostsCommand', 'none', null),
  p('VerifyHostKeyDNS', 'no', 'false'),
  p('CheckHostIP', 'no'),
  p('NoHostAuthenticationForLocalhost', 'no'),
  p('RemoteCommand', 'none', null),
  p('GatewayPorts', 'no'),
  p('Tunnel', 'no', 'false'),
  // No other key, token or password is offered or cached.
  p('AddKeysToAgent', 'no', 'false'),
  p('PKCS11Provider', 'none', null),
  p('SecurityKeyProvider', 'internal'),
  p('PubkeyAuthentication', 'yes', 'true'),
  p('PreferredAuthentications', 'publickey'),
  p('PasswordAuthentication', 'no'),
  p('KbdInteractiveAuthentication', 'no'),
  p('HostbasedAuthentication', 'no'),
  p('GSSAPIAuthentication', 'no'),
  p('GSSAPIDelegateCredentials', 'no'),
  // SetEnv has no `none`; the first SetEnv wins, so this harmless one keeps a later one's out.
  p('SetEnv', 'RUNCODE=1'),
  // A frozen gateway: plain ssh gives up (15 s to connect, 3 missed 5 s keepalives).
  p('ConnectTimeout', '15'),
  p('ServerAliveInterval', '5'),
  p('ServerAliveCountMax', '3'),
];

/**
 * Options that add up across sections instead of being replaced: nothing in our host can take
 * back what a `Host *` adds (ClearAllForwardings would also drop the command line's -L/-D).
 * doctor reports them; the fix is to keep such sections away from our hosts (`Host * !runcode.*`).
 */
export const ACCUMULATING = [
  'identityfile',
  'certificatefile',
  'sendenv',
  'localforward',
  'remoteforward',
  'dynamicforward',
] as const;

/** OpenSSH expands %-tokens in these path keywords (IdentityFile, UserKnownHostsFile). */
export const escapePercent = (s: string): string => s.replace(/%/g, '%%');

/** Every value `ssh -G` must show for `runcode.NAME` when our host is in effect. */
export function expectedEffective(e: HostEntry, omit: ReadonlySet<string> = new Set()): Pin[] {
  return [
    p('HostName', e.hostName),
    p('Port', String(e.port)),
    p('User', e.user),
    // ssh -G prints IdentityFile as written (%% kept) and UserKnownHostsFile expanded.
    p('IdentityFile', escapePercent(e.identityFile)),
    p('UserKnownHostsFile', e.knownHostsFile),
    p('GlobalKnownHostsFile', e.knownHostsFile),
    p('HostKeyAlias', e.hostKeyAlias),
    ...FIXED_PINS.filter((p) => !omit.has(p.keyword)),
  ];
}
