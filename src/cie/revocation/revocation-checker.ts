import type { X509Certificate } from '@peculiar/x509';

/** Resolves when `certificate` is known not to be revoked; otherwise throws an AssertionError. */
export interface RevocationChecker {
  check(certificate: X509Certificate, issuer: X509Certificate): Promise<void>;
}

export type RevocationMode = 'ocsp' | 'crl' | 'ocsp-then-crl';

export interface RevocationConfig {
  mode: RevocationMode;
  /** Accept the certificate when no revocation answer can be had. Off by default (fail closed). */
  failOpen?: boolean;
  /** OCSP responder to use instead of the certificate's AIA. */
  ocspUrl?: string;
  /** Per request; default 5000. */
  timeoutMs?: number;
  /** Largest OCSP response accepted; default 64 KiB. */
  maxOcspResponseBytes?: number;
  /** Largest CRL accepted; default 10 MiB. */
  maxCrlBytes?: number;
  /** Tolerated clock difference with the responder; default 120 s. */
  clockSkewSeconds?: number;
  /** Age limit of an OCSP response that has no nextUpdate; default 900 s. */
  maxOcspAgeSeconds?: number;
  /**
   * Longest reuse of a good OCSP answer or a downloaded CRL, from when it was fetched, however late its
   * nextUpdate: how long a revocation can go unseen. Default 300 s; 0 asks every time.
   */
  cacheMaxAgeSeconds?: number;
  /** Entries kept in each cache; default 10 000. */
  cacheSize?: number;
  fetch?: typeof fetch;
  now?: () => Date;
}
