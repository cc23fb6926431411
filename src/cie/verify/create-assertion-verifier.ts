import type { X509Certificate } from '@peculiar/x509';
import type { CieIdentity } from '../identity/cie-identity.js';
import { AssertionError } from './assertion-error.js';
import { known, type AssertionValidator, type Attempt } from './assertion-validator.js';
import { assertionValidators } from './assertion-validators.js';
import type { AuditEvent } from './audit-event.js';
import type { ChallengeConsumer } from './challenge-consumer.js';
import { KnownCertificates } from './known-certificates.js';
import { runValidators } from './run-validators.js';
import { isKnownAlgorithm } from './signature-algorithms.js';
import { VerifierConfigError, type VerifierConfig } from './verifier-config.js';

export interface VerifiedCard {
  identity: CieIdentity;
  certificate: X509Certificate;
  boundTo: string;
}

export type AssertionVerifier = (rawAssertion: string, expected: { boundTo?: string }) => Promise<VerifiedCard>;

/**
 * Runs the validators of assertion-validators.ts in their order (docs/verification.md). Every
 * outcome is audited; every failure is an AssertionError whose details carry the boundTo
 * once the challenge was found.
 */
export function createAssertionVerifier(
  config: VerifierConfig,
  challenges: ChallengeConsumer,
  audit: (event: AuditEvent) => void,
): AssertionVerifier {
  const unknown = config.allowedAlgorithms.filter((name) => !isKnownAlgorithm(name));
  if (unknown.length > 0) throw new VerifierConfigError('invalid_verifier_config', `unsupported algorithms in allowedAlgorithms: ${unknown.join(', ')}`);
  const now = config.now ?? (() => new Date());
  return verifierOver(assertionValidators(config, challenges, now), audit, now);
}

/** The verifier around a given list; createAssertionVerifier passes the real one (tests may observe it). */
export function verifierOver(validators: readonly AssertionValidator[], audit: (event: AuditEvent) => void, now: () => Date): AssertionVerifier {
  const knownCertificates = new KnownCertificates();
  const recall = (attempt: Attempt) => knownCertificates.recall(attempt, now());

  function auditEvent(type: AuditEvent['type'], attempt: Attempt, code?: AssertionError['code']): AuditEvent {
    return {
      type,
      ...(code && { code }),
      ...(attempt.certificate && { certificateSerial: attempt.certificate.serialNumber, issuer: attempt.certificate.issuer }),
      ...(attempt.record?.boundTo && { boundTo: attempt.record.boundTo }),
      at: now().toISOString(),
    };
  }

  return async (rawAssertion, expected) => {
    const attempt: Attempt = { raw: rawAssertion, expected };
    try {
      const recalled = await runValidators(validators, attempt, recall);
      if (!recalled) knownCertificates.remember(attempt, now());
      const verified = { identity: known(attempt, 'identity'), certificate: known(attempt, 'certificate'), boundTo: known(attempt, 'record').boundTo };
      audit(auditEvent('cie.assertion.accepted', attempt));
      return verified;
    } catch (cause) {
      const details = attempt.record?.boundTo ? { boundTo: attempt.record.boundTo } : {};
      // Anything but an AssertionError is a bug; it still rejects the login (fail closed).
      const error =
        cause instanceof AssertionError
          ? new AssertionError(cause.code, cause.message, { ...cause.details, ...details }, { cause })
          : new AssertionError('internal_error', 'unexpected error while verifying the assertion', details, { cause });
      audit(auditEvent('cie.assertion.rejected', attempt, error.code));
      throw error;
    }
  };
}
