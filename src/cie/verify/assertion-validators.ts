import { identityFromCertificate } from '../identity/identity-from-certificate.js';
import { known, type AssertionValidator } from './assertion-validator.js';
import type { ChallengeConsumer } from './challenge-consumer.js';
import { checkCasValid, createChainCheck } from './check-chain.js';
import { checkChallenge, takeChallenge } from './check-challenge.js';
import { checkEndEntity } from './check-end-entity.js';
import { checkFormat } from './check-format.js';
import { checkKeyUsage } from './check-key-usage.js';
import { checkOrigin } from './check-origin.js';
import { checkPolicy } from './check-policy.js';
import { checkAlgorithm, checkSignature, publicKeyOf } from './check-signature.js';
import { checkValidity } from './check-validity.js';
import { decodeCertificate } from './decode-certificate.js';
import { parseAssertion } from './parse-assertion.js';
import type { VerifierConfig } from './verifier-config.js';

/**
 * THE verifier: its validators in the order they run (docs/verification.md has the same table).
 * The returning-card path is this list minus the entries marked skipWhenCertificateCached; a mark is
 * allowed only where the outcome depends on nothing but the certificate's bytes and what is
 * configured at start (CAs, policy), which never change while the process runs.
 */
export function assertionValidators(config: VerifierConfig, challenges: ChallengeConsumer, now: () => Date): readonly AssertionValidator[] {
  const checkChain = createChainCheck({ trustAnchors: config.trustAnchors, intermediates: config.intermediates });
  const tolerance = config.clockToleranceSeconds;
  return [
    {
      name: 'input',
      run: (attempt) => {
        attempt.assertion = parseAssertion(attempt.raw);
      },
    },
    {
      name: 'challenge',
      // Taken first, atomically: every attempt burns its challenge, so none can be retried or used to probe.
      run: (attempt) =>
        takeChallenge(challenges, known(attempt, 'assertion').challenge).then((record) => {
          attempt.record = record;
          checkChallenge(record, now(), attempt.expected.boundTo);
        }),
    },
    { name: 'format', run: (attempt) => checkFormat(known(attempt, 'assertion').format) },
    { name: 'origin', run: (attempt) => checkOrigin(config.origin, known(attempt, 'assertion').origin, known(attempt, 'record')) },
    { name: 'algorithm', run: (attempt) => checkAlgorithm(known(attempt, 'assertion').algorithm, config.allowedAlgorithms) },
    {
      name: 'certificate',
      skipWhenCertificateCached: true,
      skipReason: 'the same base64 text decodes to the same certificate and key',
      run: (attempt) => {
        const certificate = decodeCertificate(known(attempt, 'assertion').certificate);
        attempt.certificate = certificate;
        attempt.publicKey = publicKeyOf(certificate);
      },
    },
    {
      name: 'signature',
      run: (attempt) => {
        const assertion = known(attempt, 'assertion');
        checkSignature(known(attempt, 'publicKey'), assertion.algorithm, assertion.signature, config.origin, known(attempt, 'record').challenge);
      },
    },
    { name: 'validity', run: (attempt) => checkValidity(known(attempt, 'certificate'), now(), tolerance) },
    {
      name: 'end-entity',
      skipWhenCertificateCached: true,
      skipReason: 'basicConstraints and key usage are part of the certificate',
      run: (attempt) => checkEndEntity(known(attempt, 'certificate')),
    },
    {
      name: 'key-usage',
      skipWhenCertificateCached: true,
      skipReason: 'key usage and extended key usage are part of the certificate',
      run: (attempt) => checkKeyUsage(known(attempt, 'certificate')),
    },
    {
      name: 'policy',
      skipWhenCertificateCached: true,
      skipReason: 'the certificate’s policies and the required policy, configured at start, do not change',
      run: (attempt) => checkPolicy(known(attempt, 'certificate'), config.requiredPolicy),
    },
    {
      name: 'chain',
      skipWhenCertificateCached: true,
      skipReason: 'the path’s signatures and CA flags depend on the certificate and the CAs loaded at start only',
      run: async (attempt) => {
        const { issuer, cas } = await checkChain(known(attempt, 'certificate'));
        attempt.issuer = issuer;
        attempt.cas = cas;
      },
    },
    { name: 'ca-validity', run: (attempt) => checkCasValid(known(attempt, 'cas'), now(), tolerance) },
    { name: 'revocation', run: (attempt) => config.revocation.check(known(attempt, 'certificate'), known(attempt, 'issuer')) },
    {
      name: 'identity',
      skipWhenCertificateCached: true,
      skipReason: 'read from the subject alone; only a birth year’s century could change, on a hundredth birthday',
      run: (attempt) => {
        attempt.identity = identityFromCertificate(known(attempt, 'certificate'), now());
      },
    },
  ];
}
