import { randomBytes, webcrypto } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { x509 } from '../../src/shared/x509.js';
import type { X509 } from '../../src/shared/x509.js';

/** PEM files of one throw-away CA: a certificate for the Redis servers and one for clients. */
export interface TlsTestPki {
  caFile: string;
  /** Server certificate for 127.0.0.1 and localhost; also usable as a client certificate (redis-server
   * presents it on its own outgoing replication, cluster-bus and sentinel connections). */
  server: { certFile: string; keyFile: string };
  client: { certFile: string; keyFile: string };
  remove(): Promise<void>;
}

const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const DAY_MS = 86_400_000;

async function keyPair(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ECDSA_P256, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
}

async function privateKeyPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

async function issue(
  ca: { certificate: X509.X509Certificate; key: CryptoKey },
  subject: string,
  extensions: X509.Extension[],
): Promise<{ certificate: X509.X509Certificate; keys: CryptoKeyPair }> {
  const keys = await keyPair();
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomBytes(8).toString('hex'),
    subject,
    issuer: ca.certificate.subject,
    notBefore: new Date(Date.now() - DAY_MS),
    notAfter: new Date(Date.now() + DAY_MS),
    publicKey: keys.publicKey,
    signingKey: ca.key,
    signingAlgorithm: ECDSA_P256,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      await x509.AuthorityKeyIdentifierExtension.create(ca.certificate.publicKey),
      ...extensions,
    ],
  });
  return { certificate, keys };
}

/** Generates a fresh CA, server and client certificate into a temporary directory. */
export async function createTlsTestPki(): Promise<TlsTestPki> {
  const dir = await mkdtemp(join(tmpdir(), 'redis-tls-'));
  const caKeys = await keyPair();
  const caCertificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8).toString('hex'),
    name: `CN=Redis test CA ${randomBytes(4).toString('hex')}`,
    notBefore: new Date(Date.now() - DAY_MS),
    notAfter: new Date(Date.now() + DAY_MS),
    keys: caKeys,
    signingAlgorithm: ECDSA_P256,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const ca = { certificate: caCertificate, key: caKeys.privateKey };
  const server = await issue(ca, 'CN=localhost', [
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
    new x509.SubjectAlternativeNameExtension([
      { type: 'ip', value: '127.0.0.1' },
      { type: 'dns', value: 'localhost' },
    ]),
  ]);
  const client = await issue(ca, 'CN=redis test client', [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])]);

  const files = {
    caFile: join(dir, 'ca.pem'),
    server: { certFile: join(dir, 'server.pem'), keyFile: join(dir, 'server-key.pem') },
    client: { certFile: join(dir, 'client.pem'), keyFile: join(dir, 'client-key.pem') },
  };
  await writeFile(files.caFile, caCertificate.toString('pem'));
  await writeFile(files.server.certFile, server.certificate.toString('pem'));
  await writeFile(files.server.keyFile, await privateKeyPem(server.keys.privateKey), { mode: 0o600 });
  await writeFile(files.client.certFile, client.certificate.toString('pem'));
  await writeFile(files.client.keyFile, await privateKeyPem(client.keys.privateKey), { mode: 0o600 });
  return { ...files, remove: () => rm(dir, { recursive: true, force: true }) };
}
