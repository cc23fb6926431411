import { PkiError } from './pki-error.js';

/** Where the PKI server publishes things; these URLs are written into AIA and CRL DP extensions. */
export interface PkiUrls {
  ocsp: string;
  rootCertificate: string;
  issuingCertificate: string;
  rootCrl: string;
  issuingCrl: string;
}

export function pkiUrls(baseUrl: string): PkiUrls {
  let parsed: URL;
  try {
    parsed = new URL(baseUrl);
  } catch (cause) {
    throw new PkiError('PKI_INVALID_OPTION', `base URL is not a URL: ${baseUrl}`, {}, { cause });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new PkiError('PKI_INVALID_OPTION', `base URL must be http or https: ${baseUrl}`);
  }
  const base = baseUrl.replace(/\/+$/, '');
  return {
    ocsp: `${base}/ocsp`,
    rootCertificate: `${base}/ca/root.cer`,
    issuingCertificate: `${base}/ca/issuing.cer`,
    rootCrl: `${base}/crl/root.crl`,
    issuingCrl: `${base}/crl/issuing.crl`,
  };
}
