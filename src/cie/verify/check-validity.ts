import type { X509Certificate } from '@peculiar/x509';
import { AssertionError } from './assertion-error.js';

/** notBefore ≤ now ≤ notAfter, each side widened by the configured clock tolerance. */
export function checkValidity(certificate: X509Certificate, now: Date, toleranceSeconds: number): void {
  const tolerance = toleranceSeconds * 1000;
  if (now.getTime() + tolerance < certificate.notBefore.getTime()) {
    throw new AssertionError('certificate_not_yet_valid', 'certificate is not valid yet');
  }
  if (now.getTime() - tolerance > certificate.notAfter.getTime()) {
    throw new AssertionError('certificate_expired', 'certificate has expired');
  }
}
