import type { X509Certificate } from '@peculiar/x509';
import type { CieIdentity } from '../identity/cie-identity.js';
import { identityFromCertificate } from '../identity/identity-from-certificate.js';
import { AssertionError } from './assertion-error.js';
import type { AuditEvent } from './audit-event.js';
import type { ChallengeConsumer } from './challenge-consumer.js';
import { checkChain } from './check-chain.js';
import { checkChallenge, takeChallenge } from './check-challenge.js';
import { checkFormat } from './check-format.js';
import { checkKeyUsage } from './check-key-usage.js';
import { checkOrigin } from './check-origin.js';
import { checkPolicy } from './check-policy.js';
import { checkAlgorithm, checkSignature } from './check-signature.js';
import { checkValidity } from './check-validity.js';
import { decodeCertificate } from './decode-certificate.js';
import { parseAssertion } from './parse-assertion.js';
import { isKnownAlgorithm } from './signature-algorithms.js';
import { VerifierConfigError, type VerifierConfig } from './verifier-config.js';

export interface VerifiedCard {
  identity: CieIdentity;
  certificate: X509Certificate;
  interactionUid: string;
}

export type AssertionVerifier = (rawAssertion: string, expected: { interactionUid?: string }) => Promise<VerifiedCard>;

/** What is known about the attempt so far, for the audit event and the error details. */
interface AttemptContext {
  interactionUid?: string;
  certificate?: X509Certificate;
}

/**
 * Runs the validators in a fixed order (docs/verification.md). Every outcome is audited; every
 * failure is an AssertionError whose details carry the interactionUid once the challenge was found.
 */
export function createAssertionVerifier(
  config: VerifierConfig,
  challenges: ChallengeConsumer,
  audit: (event: AuditEvent) => void,
): AssertionVerifier {
  const unknown = config.allowedAlgorithms.filter((name) => !isKnownAlgorithm(name));
  if (unknown.length > 0) throw new VerifierConfigError('invalid_verifier_config', `unsupported algorithms in allowedAlgorithms: ${unknown.join(', ')}`);
  const now = config.now ?? (() => new Date());
  const trust = { trustAnchors: config.trustAnchors, intermediates: config.intermediates, clockToleranceSeconds: config.clockToleranceSeconds };

  async function runValidators(rawAssertion: string, expected: { interactionUid?: string }, context: AttemptContext): Promise<VerifiedCard> {
    const assertion = parseAssertion(rawAssertion);
    const record = await takeChallenge(challenges, assertion.challenge);
    context.interactionUid = record.interactionUid;
    checkChallenge(record, now(), expected.interactionUid);
    checkFormat(assertion.format);
    checkOrigin(config.origin, assertion.origin, record);
    checkAlgorithm(assertion.algorithm, config.allowedAlgorithms);
    const certificate = decodeCertificate(assertion.certificate);
    context.certificate = certificate;
    checkSignature(certificate, assertion.algorithm, assertion.signature, config.origin, record.challenge);
    checkValidity(certificate, now(), config.clockToleranceSeconds);
    checkKeyUsage(certificate);
    checkPolicy(certificate, config.requiredPolicy);
    const issuer = await checkChain(certificate, trust, now());
    await config.revocation.check(certificate, issuer);
    const identity = identityFromCertificate(certificate, now());
    return { identity, certificate, interactionUid: record.interactionUid };
  }

  function auditEvent(type: AuditEvent['type'], context: AttemptContext, code?: AssertionError['code']): AuditEvent {
    return {
      type,
      ...(code && { code }),
      ...(context.certificate && { certificateSerial: context.certificate.serialNumber, issuer: context.certificate.issuer }),
      ...(context.interactionUid && { interactionUid: context.interactionUid }),
      at: now().toISOString(),
    };
  }

  return async (rawAssertion, expected) => {
    const context: AttemptContext = {};
    try {
      const verified = await runValidators(rawAssertion, expected, context);
      audit(auditEvent('cie.assertion.accepted', context));
      return verified;
    } catch (cause) {
      const details = context.interactionUid ? { interactionUid: context.interactionUid } : {};
      // Anything but an AssertionError is a bug; it still rejects the login (fail closed).
      const error =
        cause instanceof AssertionError
          ? new AssertionError(cause.code, cause.message, { ...cause.details, ...details }, { cause })
          : new AssertionError('internal_error', 'unexpected error while verifying the assertion', details, { cause });
      audit(auditEvent('cie.assertion.rejected', context, error.code));
      throw error;
    }
  };
}
