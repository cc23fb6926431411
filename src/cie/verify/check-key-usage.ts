import type { X509Certificate } from '@peculiar/x509';
import { x509 } from '../../shared/x509.js';
import { AssertionError } from './assertion-error.js';

/** keyUsage must allow digitalSignature; an EKU, when present, must allow clientAuth (as Web eID). */
export function checkKeyUsage(certificate: X509Certificate): void {
  const keyUsage = certificate.getExtension(x509.KeyUsagesExtension);
  if (!keyUsage || (keyUsage.usages & x509.KeyUsageFlags.digitalSignature) === 0) {
    throw new AssertionError('wrong_key_usage', 'certificate key usage lacks digitalSignature');
  }
  const extendedKeyUsage = certificate.getExtension(x509.ExtendedKeyUsageExtension);
  if (extendedKeyUsage && !extendedKeyUsage.usages.includes(x509.ExtendedKeyUsage.clientAuth)) {
    throw new AssertionError('wrong_key_usage', 'certificate extended key usage lacks clientAuth');
  }
}
