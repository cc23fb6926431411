import type { X509Certificate } from '@peculiar/x509';
import { AsnConvert } from '@peculiar/asn1-schema';
import { x509 } from '../../shared/x509.js';
import { AssertionError } from './assertion-error.js';

/** x509's certificate, whose own parse is re-encoded for the canonical-DER check (so the DER is decoded once). */
class CardCertificate extends x509.X509Certificate {
  /**
   * Canonical DER (re-encoding the parsed structure gives back the same bytes) whose outer
   * signature algorithm repeats the signed one (RFC 5280 §4.1.1.2). The parsers tolerate a wrong
   * outer length, trailing bytes and altered outer algorithm parameters, all outside the CA's
   * signature; this closes that gap.
   */
  isCanonicalEncodingOf(der: Buffer): boolean {
    const encode = (value: unknown) => Buffer.from(AsnConvert.serialize(value));
    try {
      return encode(this.asn).equals(der) && encode(this.asn.signatureAlgorithm).equals(encode(this.asn.tbsCertificate.signature));
    } catch {
      return false;
    }
  }
}

/** Decodes the card certificate (standard padded base64 of DER) and every part the checks read. */
export function decodeCertificate(base64Der: string): X509Certificate {
  const der = Buffer.from(base64Der, 'base64');
  // Canonical standard base64 only (Buffer.from silently skips foreign characters).
  if (der.length === 0 || der.toString('base64') !== base64Der) {
    throw new AssertionError('malformed_certificate', 'certificate is not canonical base64');
  }
  let certificate: CardCertificate;
  try {
    certificate = new CardCertificate(new Uint8Array(der));
    // x509 decodes these lazily; decode them now so a broken one is reported as such, here.
    void [certificate.publicKey.rawData, certificate.subjectName, certificate.issuerName, certificate.extensions, certificate.serialNumber];
  } catch (error) {
    throw new AssertionError('malformed_certificate', 'certificate is not a DER X.509 certificate', {}, { cause: error });
  }
  if (!certificate.isCanonicalEncodingOf(der)) throw new AssertionError('malformed_certificate', 'certificate is not one canonical DER certificate');
  return certificate;
}
