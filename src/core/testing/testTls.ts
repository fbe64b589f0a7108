// Test-only certificates for HTTPS fakes in core tests. src/server/ca.ts makes the real
// server's CA, but core may not import server (the layer rule), so this is a small copy: a CA and
// a 127.0.0.1/localhost leaf, in memory, valid for a day.
import crypto from 'node:crypto';
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata polyfill.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(crypto.webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const ALG = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

export interface TestTls {
  /** PEM of the CA that signed `cert`. */
  ca: string;
  cert: string;
  key: string;
}

async function pkcs8Pem(key: crypto.webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await crypto.webcrypto.subtle.exportKey('pkcs8', key));
  return `-----BEGIN PRIVATE KEY-----\n${der.toString('base64').replace(/.{1,64}/g, '$&\n')}-----END PRIVATE KEY-----\n`;
}

export async function createTestTls(): Promise<TestTls> {
  const now = Date.now();
  const serial = () => '01' + crypto.randomBytes(8).toString('hex');
  const caKeys = await crypto.webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=RunCode Test CA',
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + DAY),
    keys: caKeys,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
    ],
  });
  const leafKeys = await crypto.webcrypto.subtle.generateKey(ALG, true, ['sign', 'verify']);
  const leaf = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: 'CN=localhost',
    issuer: caCert.subject,
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + DAY),
    signingKey: caKeys.privateKey,
    publicKey: leafKeys.publicKey,
    signingAlgorithm: ALG,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'ip', value: '127.0.0.1' },
        { type: 'dns', value: 'localhost' },
      ]),
    ],
  });
  return {
    ca: caCert.toString('pem') + '\n',
    cert: leaf.toString('pem') + '\n',
    key: await pkcs8Pem(leafKeys.privateKey),
  };
}
