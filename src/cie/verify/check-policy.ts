import type { X509Certificate } from '@peculiar/x509';
import { x509 } from '../../shared/x509.js';
import { AssertionError } from './assertion-error.js';

/** The CIE authentication certificate carries policy 1.3.76.47.4 (CIE 3.0 chip specification: the authentication certificate — docs/references.md). */
export function checkPolicy(certificate: X509Certificate, requiredPolicy: string): void {
  const policies = certificate.getExtension(x509.CertificatePolicyExtension)?.policies ?? [];
  if (!policies.includes(requiredPolicy)) {
    throw new AssertionError('wrong_certificate_policy', `certificate lacks policy ${requiredPolicy}`);
  }
}
