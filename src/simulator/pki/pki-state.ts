/** The mutable part of the test PKI: which serials each CA issued and which are revoked or on hold. */

export type CaRole = 'root' | 'issuing';
export type RevocationReason = 'keyCompromise' | 'cessationOfOperation' | 'superseded' | 'affiliationChanged' | 'unspecified';
export type CertificateStatus = 'good' | 'revoked' | 'suspended' | 'unknown';

export interface IssuedCertificate {
  issuer: CaRole;
  subject: string;
  notAfter: string;
}

export interface Revocation {
  revokedAt: string;
  /** certificateHold means suspended (reversible); any other reason is final. */
  reason: RevocationReason | 'certificateHold';
}

export interface PkiState {
  version: 1;
  baseUrl: string;
  /** Keyed by normalised serial (see serial-number.ts). */
  issued: Record<string, IssuedCertificate>;
  revocations: Record<string, Revocation>;
}

export function issuedCertificate(state: PkiState, serial: string): IssuedCertificate | undefined {
  return Object.hasOwn(state.issued, serial) ? state.issued[serial] : undefined;
}

export function revocationOf(state: PkiState, serial: string): Revocation | undefined {
  return Object.hasOwn(state.revocations, serial) ? state.revocations[serial] : undefined;
}

export function statusIn(state: PkiState, serial: string): CertificateStatus {
  if (!issuedCertificate(state, serial)) return 'unknown';
  const revocation = revocationOf(state, serial);
  if (!revocation) return 'good';
  return revocation.reason === 'certificateHold' ? 'suspended' : 'revoked';
}

export function isPkiState(value: unknown): value is PkiState {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<PkiState>;
  return (
    candidate.version === 1 &&
    typeof candidate.baseUrl === 'string' &&
    typeof candidate.issued === 'object' &&
    candidate.issued !== null &&
    typeof candidate.revocations === 'object' &&
    candidate.revocations !== null
  );
}
