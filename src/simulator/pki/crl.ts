import { AsnConvert } from '@peculiar/asn1-schema';
import { CRLNumber, CRLReasons, id_ce_cRLNumber } from '@peculiar/asn1-x509';
import type { Signer } from './ca-certificates.js';
import { addSeconds, wholeSeconds } from './dates.js';
import { issuedCertificate } from './pki-state.js';
import type { CaRole, PkiState, Revocation } from './pki-state.js';
import { RSA_SHA256 } from './profile.js';
import { x509 } from '../../shared/x509.js';
import type { X509 } from '../../shared/x509.js';

export function crlReason(reason: Revocation['reason']): CRLReasons {
  return CRLReasons[reason];
}

/**
 * A full CRL of everything `role` revoked or put on hold, signed now. The CRL number is the signing
 * time in milliseconds: increasing without persisting a counter (RFC 5280 §5.2.3).
 */
export async function createCrl(ca: Signer, role: CaRole, state: PkiState, now: Date, nextUpdateSeconds: number): Promise<X509.X509Crl> {
  const thisUpdate = wholeSeconds(now);
  const entries = Object.entries(state.revocations)
    .filter(([serial]) => issuedCertificate(state, serial)?.issuer === role)
    .map(([serialNumber, revocation]) => ({
      serialNumber,
      revocationDate: new Date(revocation.revokedAt),
      reason: crlReason(revocation.reason) as number as X509.X509CrlReason,
    }));
  return x509.X509CrlGenerator.create({
    issuer: ca.certificate.subjectName,
    thisUpdate,
    nextUpdate: addSeconds(thisUpdate, nextUpdateSeconds),
    entries,
    signingKey: ca.key,
    signingAlgorithm: RSA_SHA256,
    extensions: [
      await x509.AuthorityKeyIdentifierExtension.create(ca.certificate.publicKey),
      new x509.Extension(id_ce_cRLNumber, false, AsnConvert.serialize(new CRLNumber(now.getTime()))),
    ],
  });
}
