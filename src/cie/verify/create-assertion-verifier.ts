import type { X509Certificate } from '@peculiar/x509';
import type { KeyObject } from 'node:crypto';
import { BoundedCache } from '../../shared/bounded-cache.js';
import type { CieIdentity } from '../identity/cie-identity.js';
import { identityFromCertificate } from '../identity/identity-from-certificate.js';
import { AssertionError } from './assertion-error.js';
import type { AuditEvent } from './audit-event.js';
import type { ChallengeConsumer } from './challenge-consumer.js';
import { checkCasValid, createChainCheck } from './check-chain.js';
import { checkChallenge, takeChallenge } from './check-challenge.js';
import { checkFormat } from './check-format.js';
import { checkEndEntity } from './check-end-entity.js';
import { checkKeyUsage } from './check-key-usage.js';
import { checkOrigin } from './check-origin.js';
import { checkPolicy } from './check-policy.js';
import { checkAlgorithm, checkSignature, publicKeyOf } from './check-signature.js';
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

/**
 * Certificates that passed decoding, end-entity profile, key usage, policy and chain, keyed by their
 * exact base64 text. Decoding and path building are ~90 % of a verification (docs/benchmarks.md) and a
 * citizen's card comes back often. What is skipped depends only on the certificate's bytes and the
 * configured CAs; what depends on time (the card's and every CA's validity, revocation) is checked on
 * every call. The hour only bounds how long a card not seen again is kept.
 */
interface KnownCertificate {
  certificate: X509Certificate;
  publicKey: KeyObject;
  issuer: X509Certificate;
  /** The verified path's CAs, issuer to trust anchor: their validity is checked again on every call. */
  cas: readonly X509Certificate[];
  identity: CieIdentity;
}
const KNOWN_CERTIFICATES = 10_000;
const KNOWN_CERTIFICATE_TTL_MS = 60 * 60 * 1000;

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
  const knownCertificates = new BoundedCache<KnownCertificate>(KNOWN_CERTIFICATES);
  const checkChain = createChainCheck({ trustAnchors: config.trustAnchors, intermediates: config.intermediates, clockToleranceSeconds: config.clockToleranceSeconds });

  async function runValidators(rawAssertion: string, expected: { interactionUid?: string }, context: AttemptContext): Promise<VerifiedCard> {
    const assertion = parseAssertion(rawAssertion);
    const record = await takeChallenge(challenges, assertion.challenge);
    context.interactionUid = record.interactionUid;
    checkChallenge(record, now(), expected.interactionUid);
    checkFormat(assertion.format);
    checkOrigin(config.origin, assertion.origin, record);
    checkAlgorithm(assertion.algorithm, config.allowedAlgorithms);
    const known = knownCertificates.get(assertion.certificate, now().getTime());
    if (known) {
      // Same bytes as a certificate that already passed every static check: only what depends on
      // this assertion or on time is checked again, in the same order as below.
      context.certificate = known.certificate;
      checkSignature(known.publicKey, assertion.algorithm, assertion.signature, config.origin, record.challenge);
      checkValidity(known.certificate, now(), config.clockToleranceSeconds);
      checkCasValid(known.cas, now(), config.clockToleranceSeconds);
      await config.revocation.check(known.certificate, known.issuer);
      return { identity: known.identity, certificate: known.certificate, interactionUid: record.interactionUid };
    }
    const certificate = decodeCertificate(assertion.certificate);
    context.certificate = certificate;
    const publicKey = publicKeyOf(certificate);
    checkSignature(publicKey, assertion.algorithm, assertion.signature, config.origin, record.challenge);
    checkValidity(certificate, now(), config.clockToleranceSeconds);
    checkEndEntity(certificate);
    checkKeyUsage(certificate);
    checkPolicy(certificate, config.requiredPolicy);
    const { issuer, cas } = await checkChain(certificate, now());
    await config.revocation.check(certificate, issuer);
    const identity = identityFromCertificate(certificate, now());
    const cachedUntil = Math.min(now().getTime() + KNOWN_CERTIFICATE_TTL_MS, certificate.notAfter.getTime());
    knownCertificates.set(assertion.certificate, { certificate, publicKey, issuer, cas, identity }, cachedUntil);
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
