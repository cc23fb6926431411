import type { KeyObject } from 'node:crypto';
import { webcrypto } from 'node:crypto';
import type { Signer } from './ca-certificates.js';
import type { CardHolder } from '../card/card-data.js';
import { addSeconds, addYears, wholeSeconds } from './dates.js';
import { PkiError } from './pki-error.js';
import type { PkiUrls } from './pki-urls.js';
import { CARD_VALIDITY_YEARS, DOCUMENT_SERIAL_PREFIX, OID, RSA_SHA256 } from './profile.js';
import { x509 } from '../../shared/x509.js';
import type { X509 } from '../../shared/x509.js';

export interface IssueCardCertificateRequest {
  holder: CardHolder;
  documentNumber: string;
  publicKey: KeyObject;
  notBefore?: Date;
  notAfter?: Date;
}

const FISCAL_CODE = /^[A-Z0-9]{16}$/;
/** The card number is 9 characters (characters 7..15 of the serialNumber attribute, CIE 3.0 chip specification: the authentication certificate — docs/references.md). */
const DOCUMENT_NUMBER = /^[A-Z0-9]{9}$/;

/**
 * RFC 5280 §4.1.2.4: UTF8String for names (accents are common in Italian names), PrintableString
 * for C and serialNumber (the middleware reads the serialNumber value as PrintableString, tag 13).
 */
export function cardSubjectName(holder: CardHolder, documentNumber: string): X509.Name {
  if (!FISCAL_CODE.test(holder.fiscalCode)) throw new PkiError('PKI_INVALID_HOLDER', 'fiscal code must be 16 upper-case letters or digits');
  if (!DOCUMENT_NUMBER.test(documentNumber)) throw new PkiError('PKI_INVALID_HOLDER', 'document number must be 9 upper-case letters or digits');
  if (holder.givenName.trim() === '' || holder.familyName.trim() === '') {
    throw new PkiError('PKI_INVALID_HOLDER', 'given name and family name must not be empty');
  }
  return new x509.Name([
    { [OID.country]: [{ printableString: 'IT' }] },
    { [OID.surname]: [{ utf8String: holder.familyName }] },
    { [OID.givenName]: [{ utf8String: holder.givenName }] },
    { [OID.serialNumber]: [{ printableString: DOCUMENT_SERIAL_PREFIX + documentNumber }] },
    { [OID.commonName]: [{ utf8String: holder.fiscalCode }] },
  ]);
}

/** Ten years minus a day, so the certificate ends the day before the ten-year card would. */
export function defaultCardValidity(now: Date): { notBefore: Date; notAfter: Date } {
  const notBefore = wholeSeconds(now);
  return { notBefore, notAfter: addSeconds(addYears(notBefore, CARD_VALIDITY_YEARS), -86_400) };
}

async function importRsaPublicKey(publicKey: KeyObject): Promise<CryptoKey> {
  if (publicKey.type !== 'public' || publicKey.asymmetricKeyType !== 'rsa') {
    throw new PkiError('PKI_INVALID_KEY', 'the card key must be an RSA public key');
  }
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return webcrypto.subtle.importKey('spki', spki, RSA_SHA256, true, ['verify']);
}

export async function createCardCertificate(
  issuingCa: Signer,
  request: IssueCardCertificateRequest,
  serialNumber: string,
  urls: PkiUrls,
  now: Date,
): Promise<X509.X509Certificate> {
  const subject = cardSubjectName(request.holder, request.documentNumber);
  const validity = defaultCardValidity(now);
  const notBefore = request.notBefore ? wholeSeconds(request.notBefore) : validity.notBefore;
  const notAfter = request.notAfter ? wholeSeconds(request.notAfter) : validity.notAfter;
  if (notAfter <= notBefore) throw new PkiError('PKI_INVALID_VALIDITY', 'notAfter must be later than notBefore');
  const publicKey = await importRsaPublicKey(request.publicKey);
  return x509.X509CertificateGenerator.create({
    serialNumber,
    subject,
    issuer: issuingCa.certificate.subjectName,
    notBefore,
    notAfter,
    publicKey,
    signingKey: issuingCa.key,
    signingAlgorithm: RSA_SHA256,
    extensions: [
      // Authentication only signs; the key never decrypts, so no keyEncipherment.
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([OID.clientAuth]),
      new x509.CertificatePolicyExtension([OID.cieAuthenticationPolicy]),
      new x509.AuthorityInfoAccessExtension({ ocsp: [urls.ocsp], caIssuers: [urls.issuingCertificate] }),
      new x509.CRLDistributionPointsExtension([urls.issuingCrl]),
      await x509.AuthorityKeyIdentifierExtension.create(issuingCa.certificate.publicKey),
      await x509.SubjectKeyIdentifierExtension.create(publicKey),
    ],
  });
}
