import type { X509Certificate } from '@peculiar/x509';
import { x509 } from '../../shared/x509.js';
import { AssertionError } from './assertion-error.js';
import { checkValidity } from './check-validity.js';

export interface TrustConfig {
  trustAnchors: X509Certificate[];
  intermediates: X509Certificate[];
  clockToleranceSeconds: number;
}

function isAnchor(certificate: X509Certificate, anchors: X509Certificate[]): boolean {
  return anchors.some((anchor) => anchor.equal(certificate));
}

/**
 * Builds the path leaf → configured intermediates → trust anchor (x509.X509ChainBuilder checks each
 * link's signature) and returns the leaf's issuer, which the revocation check needs.
 * Every CA on the path must be a CA and valid now.
 */
export async function checkChain(leaf: X509Certificate, trust: TrustConfig, now: Date): Promise<X509Certificate> {
  if (await leaf.isSelfSigned()) throw new AssertionError('self_signed_certificate', 'certificate is self-signed');
  const builder = new x509.X509ChainBuilder({ certificates: [...trust.intermediates, ...trust.trustAnchors] });
  let chain: X509Certificate[];
  try {
    chain = [...(await builder.build(leaf))];
  } catch (error) {
    throw new AssertionError('untrusted_certificate', 'certificate path cannot be built', {}, { cause: error });
  }
  const anchorIndex = chain.findIndex((certificate, index) => index > 0 && isAnchor(certificate, trust.trustAnchors));
  if (anchorIndex < 0) throw new AssertionError('untrusted_certificate', 'certificate does not chain to a trust anchor');
  for (const ca of chain.slice(1, anchorIndex + 1)) {
    if (ca.getExtension(x509.BasicConstraintsExtension)?.ca !== true) {
      throw new AssertionError('untrusted_certificate', 'a certificate on the path is not a CA');
    }
    try {
      checkValidity(ca, now, trust.clockToleranceSeconds);
    } catch (error) {
      throw new AssertionError('untrusted_certificate', 'a CA on the path is not valid now', {}, { cause: error });
    }
  }
  return chain[1]!;
}
