import type { X509Certificate, X509Crl } from '@peculiar/x509';
import { x509 } from '../../shared/x509.js';
import { AssertionError } from '../verify/assertion-error.js';

/** Parses a CRL and checks it was signed by the issuer, names it, and is current. */
export async function validateCrl(der: Uint8Array<ArrayBuffer>, issuer: X509Certificate, now: Date, clockSkewMs: number): Promise<X509Crl> {
  let crl: X509Crl;
  try {
    crl = new x509.X509Crl(der);
  } catch (error) {
    throw new AssertionError('revocation_unavailable', 'CRL is not DER', {}, { cause: error });
  }
  let signatureValid = false;
  try {
    signatureValid = crl.issuer === issuer.subject && (await crl.verify({ publicKey: issuer }));
  } catch {
    signatureValid = false;
  }
  if (!signatureValid) throw new AssertionError('crl_invalid_signature', 'CRL is not signed by the certificate issuer');
  if (crl.thisUpdate.getTime() > now.getTime() + clockSkewMs) throw new AssertionError('crl_stale', 'CRL thisUpdate is in the future');
  // Without nextUpdate a CRL gives no freshness guarantee (RFC 5280 requires the field).
  if (!crl.nextUpdate || crl.nextUpdate.getTime() + clockSkewMs < now.getTime()) throw new AssertionError('crl_stale', 'CRL is out of date');
  return crl;
}

/** Throws when the CRL lists the certificate; certificateHold means suspended, not revoked. */
export function checkCrlEntry(crl: X509Crl, certificate: X509Certificate): void {
  const entry = crl.findRevoked(certificate);
  if (!entry) return;
  if (entry.reason === x509.X509CrlReason.certificateHold) throw new AssertionError('certificate_suspended', 'certificate is on hold (CRL)');
  throw new AssertionError('certificate_revoked', 'certificate is revoked (CRL)');
}
