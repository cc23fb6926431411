import type { X509Certificate } from '@peculiar/x509';
import type { KeyObject } from 'node:crypto';
import type { CieIdentity } from '../identity/cie-identity.js';
import type { ChallengeRecord } from './challenge-consumer.js';
import type { UntrustedAssertion } from './parse-assertion.js';

/** What one verification has learnt so far: each validator reads what earlier ones on the list wrote. */
export interface Attempt {
  readonly raw: string;
  readonly expected: { boundTo?: string };
  assertion?: UntrustedAssertion;
  record?: ChallengeRecord;
  certificate?: X509Certificate;
  publicKey?: KeyObject;
  /** The card's issuer on the verified path (the revocation check needs it). */
  issuer?: X509Certificate;
  /** The verified path's CAs, issuer to trust anchor. */
  cas?: readonly X509Certificate[];
  identity?: CieIdentity;
}

interface Validator {
  /** Stable name, as in docs/verification.md's table. */
  readonly name: string;
  /** Throws an AssertionError with the validator's code when the attempt fails it. */
  run(attempt: Attempt): void | Promise<void>;
}

/**
 * One entry of the verifier's list. A returning card (a certificate that already passed the whole
 * list, see known-certificates.ts) skips the entries marked `skipWhenCertificateCached`; each says why
 * its outcome cannot have changed since. Entries that read this assertion, this challenge or the
 * clock are never marked.
 */
export type AssertionValidator = Validator &
  ({ readonly skipWhenCertificateCached?: false } | { readonly skipWhenCertificateCached: true; readonly skipReason: string });

/** A field an earlier validator must have filled: missing means the list is out of order, a bug (internal_error). */
export function known<K extends keyof Attempt>(attempt: Attempt, field: K): NonNullable<Attempt[K]> {
  const value = attempt[field];
  if (value === undefined || value === null) throw new Error(`validator order: ${String(field)} is not known yet`);
  return value;
}
