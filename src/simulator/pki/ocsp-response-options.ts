import { assertWholeSeconds } from './option-checks.js';
import { PkiError } from './pki-error.js';

export type OcspResponderMode = 'delegate' | 'issuer' | 'unauthorised';

/** Ways to make OCSP answers wrong on purpose, for negative tests of a verifier. */
export interface OcspResponseOptions {
  /** delegate (default): the OCSP responder certificate; issuer: the CA key itself; unauthorised: a self-signed stranger. */
  responder?: OcspResponderMode;
  /** nextUpdate - thisUpdate; default 3600. */
  ocspNextUpdateSeconds?: number;
  /** Moves thisUpdate (and producedAt) this many seconds into the past; default 0. */
  ocspStaleSeconds?: number;
}

export function assertOcspResponseOptions(options: OcspResponseOptions): void {
  assertWholeSeconds('ocspNextUpdateSeconds', options.ocspNextUpdateSeconds);
  assertWholeSeconds('ocspStaleSeconds', options.ocspStaleSeconds);
  if (options.responder !== undefined && !['delegate', 'issuer', 'unauthorised'].includes(options.responder)) {
    throw new PkiError('PKI_INVALID_OPTION', `unknown responder mode: ${String(options.responder)}`);
  }
}
