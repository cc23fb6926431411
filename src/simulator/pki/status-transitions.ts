import { wholeSeconds } from './dates.js';
import { PkiError } from './pki-error.js';
import { issuedCertificate, statusIn } from './pki-state.js';
import type { PkiState, RevocationReason } from './pki-state.js';

/** Pure state transitions; each returns the new state or refuses with a PkiError. */

function requireIssued(state: PkiState, serial: string): void {
  if (!issuedCertificate(state, serial)) throw new PkiError('PKI_UNKNOWN_SERIAL', `no certificate with serial ${serial} was issued by this PKI`);
}

/** A suspended certificate may still be revoked for good (RFC 5280 §5.3.1, certificateHold). */
export function revokeIn(state: PkiState, serial: string, reason: RevocationReason, now: Date): PkiState {
  requireIssued(state, serial);
  if (statusIn(state, serial) === 'revoked') throw new PkiError('PKI_ALREADY_REVOKED', `certificate ${serial} is already revoked`);
  return { ...state, revocations: { ...state.revocations, [serial]: { revokedAt: wholeSeconds(now).toISOString(), reason } } };
}

export function suspendIn(state: PkiState, serial: string, now: Date): PkiState {
  requireIssued(state, serial);
  const status = statusIn(state, serial);
  if (status === 'revoked') throw new PkiError('PKI_ALREADY_REVOKED', `certificate ${serial} is revoked and cannot be suspended`);
  if (status === 'suspended') throw new PkiError('PKI_ALREADY_SUSPENDED', `certificate ${serial} is already suspended`);
  return { ...state, revocations: { ...state.revocations, [serial]: { revokedAt: wholeSeconds(now).toISOString(), reason: 'certificateHold' } } };
}

/** Lifting a hold removes the entry altogether (removeFromCRL semantics for a full CRL). */
export function unsuspendIn(state: PkiState, serial: string): PkiState {
  requireIssued(state, serial);
  const status = statusIn(state, serial);
  if (status === 'revoked') throw new PkiError('PKI_ALREADY_REVOKED', `certificate ${serial} is revoked for good`);
  if (status !== 'suspended') throw new PkiError('PKI_NOT_SUSPENDED', `certificate ${serial} is not suspended`);
  const revocations = { ...state.revocations };
  delete revocations[serial];
  return { ...state, revocations };
}
