// The local server's own certificate authority, made on first run and kept in the data dir,
// so a client that trusts ca.pem once keeps trusting the server across restarts.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata polyfill.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

// Node's webcrypto is the Crypto x509 wants; its DOM type is not in this (Node-only) program.
x509.cryptoProvider.set(crypto.webcrypto as never);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

export interface TlsMaterial {
  /** Absolute path of the CA certificate (PEM) clients should trust. */
  caFile: string;
  ca: string;
  cert: string;
  key: string;
}

async function exportKey(key: crypto.webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await crypto.webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END PRIVATE KEY-----\n`;
}

const serial = () =>
  crypto
    .randomBytes(12)
    .toString('hex')
    .replace(/^[89a-f]/, '1');

/** A CA plus a server certificate for 127.0.0.1, ::1 and localhost, all in memory. */
export async function createTlsMaterial(
  hosts: string[] = [],
): Promise<Omit<TlsMaterial, 'caFile'> & { caKey: string }> {
  const now = Date.now();
  const caKeys = await crypto.webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=RunCode Local Server CA',
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 3650 * DAY),
    keys: caKeys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const leafKeys = await crypto.webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const names = [
    { type: 'ip' as const, value: '127.0.0.1' },
    { type: 'ip' as const, value: '::1' },
    { type: 'dns' as const, value: 'localhost' },
    ...hosts.map((h) => ({ type: /^[\d.]+$|:/.test(h) ? ('ip' as const) : ('dns' as const), value: h })),
  ];
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: 'CN=localhost',
    issuer: caCert.subject,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + 825 * DAY),
    signingKey: caKeys.privateKey,
    publicKey: leafKeys.publicKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
      await x509.AuthorityKeyIdentifierExtension.create(caCert),
    ],
  });
  return {
    ca: caCert.toString('pem') + '\n',
    caKey: await exportKey(caKeys.privateKey),
    cert: leaf.toString('pem') + '\n',
    key: await exportKey(leafKeys.privateKey),
  };
}

/**
 * Loads the CA and server certificate from `dir/tls`, making them on first run. Private keys
 * are written 0600. A new server cert is issued only when the files are missing.
 */
export async function ensureTlsMaterial(dataDir: string): Promise<TlsMaterial> {
  const dir = path.join(dataDir, 'tls');
  const files = { ca: 'ca.pem', caKey: 'ca-key.pem', cert: 'server.pem', key: 'server-key.pem' };
  const p = (f: string) => path.join(dir, f);
  if (!Object.values(files).every((f) => fs.existsSync(p(f)))) {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const m = await createTlsMaterial();
    for (const [k, f] of Object.entries(files)) {
      const secret = k === 'caKey' || k === 'key';
      fs.writeFileSync(p(f), m[k as keyof typeof m], { mode: secret ? 0o600 : 0o644 });
    }
  }
  const read = (f: string) => fs.readFileSync(p(f), 'utf8');
  return {
    caFile: path.resolve(p(files.ca)),
    ca: read(files.ca),
    cert: read(files.cert),
    key: read(files.key),
  };
}
