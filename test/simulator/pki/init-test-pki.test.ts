import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as pkijs from 'pkijs';
import { loadTestPki, initTestPki, OID, PKI_FILES, ROOT_CA_NAME, ISSUING_CA_NAME, x509 } from '../../../src/simulator/pki/index.js';
import type { X509 } from '../../../src/simulator/pki/index.js';
import { createTempPki, derOf, issueCard, PKI_CREATION_TIMEOUT_MS } from './pki-fixture.js';
import type { TempPki } from './pki-fixture.js';

let temp: TempPki;

beforeAll(async () => {
  temp = await createTempPki({ baseUrl: 'http://127.0.0.1:18980/' });
}, PKI_CREATION_TIMEOUT_MS);
afterAll(() => temp.remove());

function rsaModulusBits(certificate: X509.X509Certificate): number {
  return (certificate.publicKey.algorithm as RsaHashedKeyAlgorithm).modulusLength;
}

function yearsBetween(from: Date, to: Date): number {
  return to.getUTCFullYear() - from.getUTCFullYear();
}

describe('initTestPki', () => {
  it('writes PEM certificates, PKCS#8 keys, CRLs and the state file', async () => {
    for (const file of Object.values(PKI_FILES).filter((name) => name !== PKI_FILES.lock)) {
      expect(existsSync(join(temp.dir, file))).toBe(true);
    }
    expect(await readFile(join(temp.dir, PKI_FILES.rootCertificate), 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(await readFile(join(temp.dir, PKI_FILES.rootKey), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const state = JSON.parse(await readFile(join(temp.dir, PKI_FILES.state), 'utf8'));
    expect(state.baseUrl).toBe('http://127.0.0.1:18980/');
  });

  it('creates a self-signed 20-year RSA root with the modelled name', async () => {
    const root = temp.pki.rootCertificate;
    expect(root.subject).toBe(ROOT_CA_NAME);
    expect(root.issuer).toBe(ROOT_CA_NAME);
    expect(await root.isSelfSigned()).toBe(true);
    expect(yearsBetween(root.notBefore, root.notAfter)).toBe(20);
    expect(rsaModulusBits(root)).toBe(3072);
    expect(root.signatureAlgorithm).toMatchObject({ name: 'RSASSA-PKCS1-v1_5', hash: { name: 'SHA-256' } });
    const constraints = root.getExtension(x509.BasicConstraintsExtension);
    expect(constraints?.ca).toBe(true);
    expect(constraints?.critical).toBe(true);
  });

  it('creates an issuing CA under the root with AIA and a CRL DP pointing at the root CRL', async () => {
    const issuing = temp.pki.issuingCaCertificate;
    expect(issuing.subject).toBe(ISSUING_CA_NAME);
    expect(issuing.issuer).toBe(ROOT_CA_NAME);
    expect(await issuing.verify({ publicKey: temp.pki.rootCertificate.publicKey, signatureOnly: true })).toBe(true);
    expect(issuing.getExtension(x509.BasicConstraintsExtension)).toMatchObject({ ca: true, pathLength: 0, critical: true });
    const usage = issuing.getExtension(x509.KeyUsagesExtension);
    expect(usage?.usages).toBe(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
    const aia = issuing.getExtension(x509.AuthorityInfoAccessExtension);
    expect(aia?.ocsp.map((name) => name.value)).toEqual(['http://127.0.0.1:18980/ocsp']);
    expect(aia?.caIssuers.map((name) => name.value)).toEqual(['http://127.0.0.1:18980/ca/root.cer']);
    const crlDp = issuing.getExtension(x509.CRLDistributionPointsExtension);
    expect(crlDp?.distributionPoints[0]?.distributionPoint?.fullName?.[0]?.uniformResourceIdentifier).toBe('http://127.0.0.1:18980/crl/root.crl');
  });

  it('creates a delegated OCSP responder with OCSPSigning and ocsp-nocheck', async () => {
    const responder = temp.pki.ocspResponderCertificate;
    expect(responder.issuer).toBe(ISSUING_CA_NAME);
    expect(await responder.verify({ publicKey: temp.pki.issuingCaCertificate.publicKey, signatureOnly: true })).toBe(true);
    expect(responder.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual([OID.ocspSigning]);
    const noCheck = responder.getExtension(OID.ocspNoCheck);
    expect(noCheck).not.toBeNull();
    expect(Buffer.from(noCheck!.value).toString('hex')).toBe('0500');
    expect(responder.getExtension(x509.KeyUsagesExtension)?.usages).toBe(x509.KeyUsageFlags.digitalSignature);
  });

  it('writes an empty CRL for each CA, signed by that CA', async () => {
    for (const [file, ca] of [
      [PKI_FILES.rootCrl, temp.pki.rootCertificate],
      [PKI_FILES.issuingCrl, temp.pki.issuingCaCertificate],
    ] as const) {
      const pem = await readFile(join(temp.dir, file), 'utf8');
      expect(pem).toMatch(/^-----BEGIN X509 CRL-----/);
      const crl = new x509.X509Crl(pem);
      expect(crl.issuer).toBe(ca.subject);
      expect(crl.entries).toHaveLength(0);
      expect(await crl.verify({ publicKey: ca.publicKey })).toBe(true);
    }
  });

  it('yields a chain card → issuing CA → root that both x509 and pkijs accept', async () => {
    const card = new x509.X509Certificate((await issueCard(temp.pki)).der);
    const builder = new x509.X509ChainBuilder({ certificates: [temp.pki.rootCertificate, temp.pki.issuingCaCertificate] });
    const chain = await builder.build(card);
    expect(chain.map((certificate) => certificate.subject)).toEqual([card.subject, ISSUING_CA_NAME, ROOT_CA_NAME]);

    const engine = new pkijs.CertificateChainValidationEngine({
      trustedCerts: [pkijs.Certificate.fromBER(derOf(temp.pki.rootCertificate))],
      certs: [pkijs.Certificate.fromBER(derOf(temp.pki.issuingCaCertificate)), pkijs.Certificate.fromBER(derOf(card))],
    });
    const result = await engine.verify();
    expect(result.resultMessage).toBe('');
    expect(result.result).toBe(true);
  });

  it('refuses to initialise a directory twice', async () => {
    await expect(initTestPki(temp.dir)).rejects.toMatchObject({ code: 'PKI_ALREADY_INITIALISED' });
  });

  it('refuses a base URL that is not http(s)', async () => {
    await expect(initTestPki(join(temp.dir, 'other'), { baseUrl: 'ftp://example' })).rejects.toMatchObject({ code: 'PKI_INVALID_OPTION' });
  });

  it('loads the same certificates back from the directory', async () => {
    const loaded = await loadTestPki(temp.dir);
    expect(loaded.rootCertificate.equal(temp.pki.rootCertificate)).toBe(true);
    expect(loaded.issuingCaCertificate.equal(temp.pki.issuingCaCertificate)).toBe(true);
    expect(loaded.ocspResponderCertificate.equal(temp.pki.ocspResponderCertificate)).toBe(true);
  });

  it('reports a missing PKI clearly', async () => {
    await expect(loadTestPki(join(temp.dir, 'nothing-here'))).rejects.toMatchObject({ code: 'PKI_NOT_INITIALISED' });
  });
});
