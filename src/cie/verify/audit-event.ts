import type { AssertionErrorCode } from './assertion-error.js';

/** What the verifier tells the audit log: no personal data beyond the certificate serial. */
export interface AuditEvent {
  type: 'cie.assertion.accepted' | 'cie.assertion.rejected';
  code?: AssertionErrorCode;
  certificateSerial?: string;
  issuer?: string;
  boundTo?: string;
  /** ISO 8601 time of the decision. */
  at: string;
}
