import type { X509Certificate } from '@peculiar/x509';
import { x509 } from '../../shared/x509.js';

const isHttp = (url: string) => /^https?:\/\//i.test(url);

/** OCSP responder URLs from the certificate's Authority Information Access. */
export function ocspUrlsOf(certificate: X509Certificate): string[] {
  const aia = certificate.getExtension(x509.AuthorityInfoAccessExtension);
  return (aia?.ocsp ?? []).filter((name) => name.type === 'url').map((name) => name.value).filter(isHttp);
}

/** HTTP CRL URLs from the certificate's CRL distribution points. */
export function crlUrlsOf(certificate: X509Certificate): string[] {
  const points = certificate.getExtension(x509.CRLDistributionPointsExtension)?.distributionPoints ?? [];
  return points
    .flatMap((point) => point.distributionPoint?.fullName ?? [])
    .map((name) => name.uniformResourceIdentifier)
    .filter((url): url is string => typeof url === 'string' && isHttp(url));
}
