import type { X509Certificate } from '@peculiar/x509';
import { AssertionError } from '../verify/assertion-error.js';
import type { CieIdentity } from './cie-identity.js';
import { decodeFiscalCode } from './fiscal-code.js';
import { capitaliseWords } from './name-case.js';

const OID = { commonName: '2.5.4.3', surname: '2.5.4.4', serialNumber: '2.5.4.5', givenName: '2.5.4.42', organization: '2.5.4.10' };
// CN is the fiscal code (CIE 3.0 chip specification: the authentication certificate — docs/references.md); an ETSI-style "TINIT-" prefix and a CNS-style
// "/…" suffix (Apache-CIE reads only the first 16 characters) are tolerated.
const COMMON_NAME = /^(?:TINIT-)?([A-Za-z0-9]{16})(?:\/.*)?$/;
// serialNumber: 6-character prefix, then the card number (MW-Win CSP.cpp reads from offset 6).
const SERIAL_NUMBER_PREFIX_LENGTH = 6;

function field(certificate: X509Certificate, oid: string, name: string): string {
  const value = certificate.subjectName.getField(oid)[0]?.trim();
  if (!value) throw new AssertionError('missing_identity', `certificate subject has no ${name}`);
  return value;
}

const day = (date: Date) => date.toISOString().slice(0, 10);

export function identityFromCertificate(certificate: X509Certificate, now: Date = new Date()): CieIdentity {
  const commonName = COMMON_NAME.exec(field(certificate, OID.commonName, 'commonName'));
  if (!commonName) throw new AssertionError('invalid_fiscal_code', 'certificate commonName is not a fiscal code');
  const decoded = decodeFiscalCode(commonName[1]!, now);
  const documentNumber = field(certificate, OID.serialNumber, 'serialNumber').slice(SERIAL_NUMBER_PREFIX_LENGTH);
  if (!/^[A-Za-z0-9]+$/.test(documentNumber)) throw new AssertionError('missing_identity', 'certificate serialNumber holds no card number');
  const issuerName = certificate.issuerName;
  return {
    fiscalCode: decoded.code,
    givenName: capitaliseWords(field(certificate, OID.givenName, 'givenName')),
    familyName: capitaliseWords(field(certificate, OID.surname, 'surname')),
    birthDate: decoded.birthDate,
    gender: decoded.gender,
    placeOfBirth: decoded.placeOfBirth,
    documentNumber: documentNumber.toUpperCase(),
    documentIssuer: issuerName.getField(OID.organization)[0] ?? issuerName.getField(OID.commonName)[0] ?? certificate.issuer,
    documentIssuedOn: day(certificate.notBefore),
    documentExpiresOn: day(certificate.notAfter),
  };
}
