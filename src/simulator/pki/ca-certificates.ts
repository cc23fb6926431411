import { addYears, wholeSeconds } from './dates.js';
import type { PkiUrls } from './pki-urls.js';
import {
  ISSUING_CA_NAME,
  ISSUING_CA_VALIDITY_YEARS,
  OCSP_RESPONDER_NAME,
  OCSP_RESPONDER_VALIDITY_YEARS,
  OID,
  ROGUE_RESPONDER_NAME,
  ROOT_CA_NAME,
  ROOT_VALIDITY_YEARS,
  RSA_SHA256,
} from './profile.js';
import { x509 } from '../../shared/x509.js';
import type { X509 } from '../../shared/x509.js';

/** A CA (or responder) certificate together with the private key that signs in its name. */
export interface Signer {
  certificate: X509.X509Certificate;
  key: CryptoKey;
}

/** DER NULL: the whole value of id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1). */
const DER_NULL = new Uint8Array([0x05, 0x00]);

export async function createRootCertificate(keys: CryptoKeyPair, serialNumber: string, now: Date): Promise<X509.X509Certificate> {
  const notBefore = wholeSeconds(now);
  return x509.X509CertificateGenerator.createSelfSigned({
    serialNumber,
    name: ROOT_CA_NAME,
    notBefore,
    notAfter: addYears(notBefore, ROOT_VALIDITY_YEARS),
    keys,
    signingAlgorithm: RSA_SHA256,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
}

export async function createIssuingCaCertificate(
  root: Signer,
  publicKey: CryptoKey,
  serialNumber: string,
  urls: PkiUrls,
  now: Date,
): Promise<X509.X509Certificate> {
  const notBefore = wholeSeconds(now);
  return x509.X509CertificateGenerator.create({
    serialNumber,
    subject: ISSUING_CA_NAME,
    issuer: root.certificate.subjectName,
    notBefore,
    notAfter: addYears(notBefore, ISSUING_CA_VALIDITY_YEARS),
    publicKey,
    signingKey: root.key,
    signingAlgorithm: RSA_SHA256,
    extensions: [
      // pathLen 0: this CA issues end-entity certificates only.
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(root.certificate.publicKey),
      new x509.AuthorityInfoAccessExtension({ ocsp: [urls.ocsp], caIssuers: [urls.rootCertificate] }),
      new x509.CRLDistributionPointsExtension([urls.rootCrl]),
    ],
  });
}

export async function createOcspResponderCertificate(
  issuingCa: Signer,
  publicKey: CryptoKey,
  serialNumber: string,
  now: Date,
): Promise<X509.X509Certificate> {
  const notBefore = wholeSeconds(now);
  return x509.X509CertificateGenerator.create({
    serialNumber,
    subject: OCSP_RESPONDER_NAME,
    issuer: issuingCa.certificate.subjectName,
    notBefore,
    notAfter: addYears(notBefore, OCSP_RESPONDER_VALIDITY_YEARS),
    publicKey,
    signingKey: issuingCa.key,
    signingAlgorithm: RSA_SHA256,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([OID.ocspSigning]),
      // Clients must not ask about the responder's own status (it would be circular).
      new x509.Extension(OID.ocspNoCheck, false, DER_NULL),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuingCa.certificate.publicKey),
    ],
  });
}

/** Looks like a responder (EKU OCSPSigning) but no CIE CA issued it: for negative verifier tests. */
export async function createRogueResponderCertificate(keys: CryptoKeyPair, serialNumber: string, now: Date): Promise<X509.X509Certificate> {
  const notBefore = wholeSeconds(now);
  return x509.X509CertificateGenerator.createSelfSigned({
    serialNumber,
    name: ROGUE_RESPONDER_NAME,
    notBefore,
    notAfter: addYears(notBefore, 1),
    keys,
    signingAlgorithm: RSA_SHA256,
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([OID.ocspSigning]),
    ],
  });
}
