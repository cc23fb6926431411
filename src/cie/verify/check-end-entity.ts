import type { X509Certificate } from '@peculiar/x509';
import { x509 } from '../../shared/x509.js';
import { AssertionError } from './assertion-error.js';

/** Key usages only a CA may assert (RFC 5280 §4.2.1.3: keyCertSign only with cA; cRLSign signs revocation lists). */
const CA_KEY_USAGES = x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign;

/**
 * The login certificate is an end-entity certificate (docs/pki.md): a certificate that claims to be a
 * CA, by basicConstraints cA or by a CA key usage, is not a card's, whoever signed it. A CA certificate
 * from a trusted hierarchy must never log a citizen in, even with a CIE policy and a fiscal code.
 */
export function checkEndEntity(certificate: X509Certificate): void {
  if (certificate.getExtension(x509.BasicConstraintsExtension)?.ca === true) {
    throw new AssertionError('not_end_entity_certificate', 'certificate is a CA certificate (basicConstraints cA)');
  }
  const keyUsage = certificate.getExtension(x509.KeyUsagesExtension);
  if (keyUsage && (keyUsage.usages & CA_KEY_USAGES) !== 0) {
    throw new AssertionError('not_end_entity_certificate', 'certificate key usage allows signing certificates or CRLs');
  }
}
