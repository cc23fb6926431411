import { webcrypto } from 'node:crypto';
import type { CertificateIssuer } from '../../../src/simulator/card/mint-card.js';

/**
 * @peculiar/x509 loads tsyringe, which needs the Reflect metadata API (the `reflect-metadata` package is
 * not installed); a Map-backed stand-in for the three functions it calls is enough for tests.
 */
function installReflectMetadata(): void {
  const reflect = Reflect as unknown as Record<string, unknown>;
  if (typeof reflect.getMetadata === 'function') return;
  const store = new WeakMap<object, Map<unknown, unknown>>();
  reflect.defineMetadata = (key: unknown, value: unknown, target: object) => {
    const entries = store.get(target) ?? new Map();
    entries.set(key, value);
    store.set(target, entries);
  };
  reflect.getOwnMetadata = (key: unknown, target: object) => store.get(target)?.get(key);
  reflect.getMetadata = (key: unknown, target: object) => {
    for (let t: object | null = target; t; t = Object.getPrototypeOf(t) as object | null) {
      const value = store.get(t)?.get(key);
      if (value !== undefined) return value;
    }
    return undefined;
  };
}

const ALGORITHM = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };

/** A throwaway issuer: certifies the card key with a freshly generated, self-signed test key. */
export async function testIssuer(): Promise<CertificateIssuer> {
  installReflectMetadata();
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const issuerKeys = (await webcrypto.subtle.generateKey(ALGORITHM, false, ['sign', 'verify'])) as CryptoKeyPair;
  return async ({ holder, documentNumber, publicKey }) => {
    const subjectKey = await webcrypto.subtle.importKey('spki', publicKey.export({ type: 'spki', format: 'der' }), ALGORITHM, true, ['verify']);
    const certificate = await x509.X509CertificateGenerator.create({
      serialNumber: '0A',
      issuer: 'CN=Test issuer, C=IT',
      subject: `CN=${holder.fiscalCode}, G=${holder.givenName}, SN=${holder.familyName}, 2.5.4.5=IDCIT-${documentNumber}, C=IT`,
      notBefore: new Date('2025-01-01T00:00:00Z'),
      notAfter: new Date('2035-01-01T00:00:00Z'),
      signingAlgorithm: ALGORITHM,
      publicKey: subjectKey as CryptoKey,
      signingKey: issuerKeys.privateKey,
    });
    return { der: new Uint8Array(certificate.rawData), serialNumber: certificate.serialNumber };
  };
}
