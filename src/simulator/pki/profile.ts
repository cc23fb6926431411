/** Names, OIDs and lifetimes of the test PKI; docs/pki.md says which of them are [unverified]. */

const MINISTRY = "C=IT, O=Ministero dell'Interno, OU=Direz. Centr. per i Servizi Demografici - CNSD";

/** Modelled on the real root in the Italian TSL, with "(TEST)" so it can never be mistaken for it. */
export const ROOT_CA_NAME = `${MINISTRY}, CN=National root CA for the Italian Electronic Identity Card (TEST)`;
/** The real intermediate's name is not public: this one is invented. */
export const ISSUING_CA_NAME = `${MINISTRY}, CN=CIE Authentication CA (TEST)`;
export const OCSP_RESPONDER_NAME = `${MINISTRY}, CN=CIE Authentication CA OCSP Responder (TEST)`;
/** Signs OCSP answers in the 'unauthorised' mode: self-signed, so no CIE CA vouches for it. */
export const ROGUE_RESPONDER_NAME = 'C=IT, O=Nobody, CN=Rogue OCSP Responder (TEST)';

export const OID = {
  cieAuthenticationPolicy: '1.3.76.47.4',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
  surname: '2.5.4.4',
  givenName: '2.5.4.42',
  serialNumber: '2.5.4.5',
  commonName: '2.5.4.3',
  country: '2.5.4.6',
  sha256WithRsaEncryption: '1.2.840.113549.1.1.11',
} as const;

/** ETSI EN 319 412-1 semantics identifier for a national identity document of Italy [unverified]. */
export const DOCUMENT_SERIAL_PREFIX = 'IDCIT-';

export const RSA_SHA256 = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;
/** 4096 like the real root would make every init take seconds; 3072 keeps the same security level class. */
export const ROOT_KEY_BITS = 3072;
export const CA_KEY_BITS = 2048;

export const ROOT_VALIDITY_YEARS = 20;
/** Longer than any card certificate (10 years) so a default card certificate always nests. */
export const ISSUING_CA_VALIDITY_YEARS = 15;
export const OCSP_RESPONDER_VALIDITY_YEARS = 5;
export const CARD_VALIDITY_YEARS = 10;

export const DEFAULT_BASE_URL = 'http://127.0.0.1:8980';
export const DEFAULT_CRL_NEXT_UPDATE_SECONDS = 24 * 3600;
export const DEFAULT_OCSP_NEXT_UPDATE_SECONDS = 3600;
