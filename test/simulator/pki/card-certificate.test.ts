import { generateKeyPairSync } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';
import { OID, x509 } from '../../../src/simulator/pki/index.js';
import { createTempPki, DOCUMENT_NUMBER, HOLDER, rsaPublicKey, PKI_CREATION_TIMEOUT_MS } from './pki-fixture.js';
import type { TempPki } from './pki-fixture.js';

let temp: TempPki;
let card: InstanceType<typeof x509.X509Certificate>;
let serialNumber: string;
let issuedAround: Date;

beforeAll(async () => {
  temp = await createTempPki();
  issuedAround = new Date();
  const issued = await temp.pki.issueCardCertificate({ holder: HOLDER, documentNumber: DOCUMENT_NUMBER, publicKey: rsaPublicKey() });
  card = new x509.X509Certificate(issued.der);
  serialNumber = issued.serialNumber;
}, PKI_CREATION_TIMEOUT_MS);
afterAll(() => temp.remove());

/** [oid, ASN.1 string tag, value] for every attribute, in RDN order. */
function subjectAttributes(certificate: InstanceType<typeof x509.X509Certificate>): [string, number, string][] {
  const asn = AsnConvert.parse(certificate.rawData, Certificate);
  return [...asn.tbsCertificate.subject].flatMap((rdn) =>
    rdn.map((attribute): [string, number, string] => {
      const der = new Uint8Array(AsnConvert.serialize(attribute.value));
      return [attribute.type, der[0] ?? -1, attribute.value.toString()];
    }),
  );
}

describe('card authentication certificate profile', () => {
  it('has the subject C, surname, givenName, serialNumber IDCIT-<document>, CN = fiscal code', () => {
    expect(subjectAttributes(card)).toEqual([
      [OID.country, 0x13, 'IT'],
      [OID.surname, 0x0c, 'ROSSI'],
      [OID.givenName, 0x0c, 'MARIO'],
      // PrintableString: the Windows middleware reads characters 7..15 of this exact tag (13).
      [OID.serialNumber, 0x13, 'IDCIT-CA00000AA'],
      [OID.commonName, 0x0c, 'RSSMRA80A01H501U'],
    ]);
  });

  it('keeps accented names intact', async () => {
    const holder = { ...HOLDER, givenName: 'NICOLÒ', familyName: "D'ANGELO" };
    const issued = await temp.pki.issueCardCertificate({ holder, documentNumber: DOCUMENT_NUMBER, publicKey: rsaPublicKey() });
    const attributes = subjectAttributes(new x509.X509Certificate(issued.der));
    expect(attributes[1]).toEqual([OID.surname, 0x0c, "D'ANGELO"]);
    expect(attributes[2]).toEqual([OID.givenName, 0x0c, 'NICOLÒ']);
  });

  it('is issued by the issuing CA and verifies with its key', async () => {
    expect(card.issuer).toBe(temp.pki.issuingCaCertificate.subject);
    expect(await card.verify({ publicKey: temp.pki.issuingCaCertificate.publicKey, signatureOnly: true })).toBe(true);
    expect(card.signatureAlgorithm).toMatchObject({ name: 'RSASSA-PKCS1-v1_5', hash: { name: 'SHA-256' } });
  });

  it('has a random positive 16-byte serial that is returned in hex', () => {
    expect(card.serialNumber).toBe(serialNumber);
    expect(serialNumber).toMatch(/^[0-7][0-9a-f]{31}$/);
    expect(serialNumber.startsWith('00')).toBe(false);
  });

  it('is valid from now for ten years minus a day', () => {
    expect(Math.abs(card.notBefore.getTime() - issuedAround.getTime())).toBeLessThan(60_000);
    const expected = new Date(card.notBefore.getTime());
    expected.setUTCFullYear(expected.getUTCFullYear() + 10);
    expected.setTime(expected.getTime() - 86_400_000);
    expect(card.notAfter.toISOString()).toBe(expected.toISOString());
  });

  it('carries exactly the profile extensions', () => {
    expect(card.extensions.map((extension) => extension.type).sort()).toEqual(
      [
        '2.5.29.15', // keyUsage
        '2.5.29.37', // extKeyUsage
        '2.5.29.32', // certificatePolicies
        '1.3.6.1.5.5.7.1.1', // authorityInfoAccess
        '2.5.29.31', // cRLDistributionPoints
        '2.5.29.35', // authorityKeyIdentifier
        '2.5.29.14', // subjectKeyIdentifier
      ].sort(),
    );
  });

  it('has keyUsage digitalSignature only, critical', () => {
    const usage = card.getExtension(x509.KeyUsagesExtension);
    expect(usage?.critical).toBe(true);
    expect(usage?.usages).toBe(x509.KeyUsageFlags.digitalSignature);
  });

  it('has extKeyUsage clientAuth, not critical', () => {
    const eku = card.getExtension(x509.ExtendedKeyUsageExtension);
    expect(eku?.critical).toBe(false);
    expect(eku?.usages).toEqual([OID.clientAuth]);
  });

  it('has the CIE authentication policy 1.3.76.47.4', () => {
    expect(card.getExtension(x509.CertificatePolicyExtension)?.policies).toEqual(['1.3.76.47.4']);
  });

  it('points AIA (OCSP, caIssuers) and CRL DP at the PKI server', () => {
    const aia = card.getExtension(x509.AuthorityInfoAccessExtension);
    expect(aia?.ocsp.map((name) => name.value)).toEqual(['http://127.0.0.1:8980/ocsp']);
    expect(aia?.caIssuers.map((name) => name.value)).toEqual(['http://127.0.0.1:8980/ca/issuing.cer']);
    const crlDp = card.getExtension(x509.CRLDistributionPointsExtension);
    expect(crlDp?.distributionPoints.map((point) => point.distributionPoint?.fullName?.[0]?.uniformResourceIdentifier)).toEqual([
      'http://127.0.0.1:8980/crl/issuing.crl',
    ]);
  });

  it('links to the issuing CA key and to its own key', async () => {
    const authority = card.getExtension(x509.AuthorityKeyIdentifierExtension);
    const issuerSki = temp.pki.issuingCaCertificate.getExtension(x509.SubjectKeyIdentifierExtension);
    expect(authority?.keyId).toBe(issuerSki?.keyId);
    const own = card.getExtension(x509.SubjectKeyIdentifierExtension);
    const expected = await x509.SubjectKeyIdentifierExtension.create(card.publicKey);
    expect(own?.keyId).toBe(expected.keyId);
  });

  it('honours explicit validity dates', async () => {
    const notBefore = new Date('2030-01-02T03:04:05Z');
    const notAfter = new Date('2031-01-02T03:04:05Z');
    const issued = await temp.pki.issueCardCertificate({ holder: HOLDER, documentNumber: DOCUMENT_NUMBER, publicKey: rsaPublicKey(), notBefore, notAfter });
    const certificate = new x509.X509Certificate(issued.der);
    expect(certificate.notBefore.toISOString()).toBe(notBefore.toISOString());
    expect(certificate.notAfter.toISOString()).toBe(notAfter.toISOString());
  });

  it.each([
    ['a short fiscal code', { ...HOLDER, fiscalCode: 'RSSMRA80' }, DOCUMENT_NUMBER],
    ['a lower-case fiscal code', { ...HOLDER, fiscalCode: 'rssmra80a01h501u' }, DOCUMENT_NUMBER],
    ['an empty given name', { ...HOLDER, givenName: ' ' }, DOCUMENT_NUMBER],
    ['a 10-character document number', HOLDER, 'CA00000AAA'],
  ])('refuses %s', async (_label, holder, documentNumber) => {
    await expect(temp.pki.issueCardCertificate({ holder, documentNumber, publicKey: rsaPublicKey() })).rejects.toMatchObject({
      code: 'PKI_INVALID_HOLDER',
    });
  });

  it('refuses a non-RSA key and a private key', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey;
    await expect(temp.pki.issueCardCertificate({ holder: HOLDER, documentNumber: DOCUMENT_NUMBER, publicKey: ec })).rejects.toMatchObject({
      code: 'PKI_INVALID_KEY',
    });
    const rsaPrivate = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    await expect(temp.pki.issueCardCertificate({ holder: HOLDER, documentNumber: DOCUMENT_NUMBER, publicKey: rsaPrivate })).rejects.toMatchObject({
      code: 'PKI_INVALID_KEY',
    });
  });

  it('refuses notAfter before notBefore', async () => {
    const notBefore = new Date('2030-01-01T00:00:00Z');
    await expect(
      temp.pki.issueCardCertificate({ holder: HOLDER, documentNumber: DOCUMENT_NUMBER, publicKey: rsaPublicKey(), notBefore, notAfter: notBefore }),
    ).rejects.toMatchObject({ code: 'PKI_INVALID_VALIDITY' });
  });

  it('records the certificate as issued and good', () => {
    expect(temp.pki.statusOf(serialNumber)).toBe('good');
    expect(temp.pki.statusOf(serialNumber.toUpperCase())).toBe('good');
  });
});
