import type { X509Certificate } from '@peculiar/x509';
import type { ChallengeStore } from '../../cie/challenge-store.js';
import { cieClaims } from '../../cie/identity/index.js';
import { createRevocationChecker } from '../../cie/revocation/index.js';
import { CIE_AUTHENTICATION_POLICY, createAssertionVerifier, type AssertionVerifier, type AuditEvent } from '../../cie/verify/index.js';
import type { ProviderConfig } from '../../config/config.js';
import type { CardLoginVerifier } from './card-login-verifier.js';

export interface CieLoginVerifierDeps {
  config: ProviderConfig;
  challenges: ChallengeStore;
  trustAnchors: X509Certificate[];
  intermediates: X509Certificate[];
  audit: (event: AuditEvent) => void;
  fetch?: typeof fetch;
}

/** The cie/ verifier chain, configured from the provider's settings: the card's, and the smartphone's (the same card signs). */
export function createProviderAssertionVerifier(deps: CieLoginVerifierDeps): AssertionVerifier {
  const { config } = deps;
  return createAssertionVerifier({
    origin: config.origin,
    trustAnchors: deps.trustAnchors,
    intermediates: deps.intermediates,
    clockToleranceSeconds: config.clockToleranceSeconds,
    allowedAlgorithms: ['RS256'],
    requiredPolicy: CIE_AUTHENTICATION_POLICY,
    revocation: createRevocationChecker({
      mode: config.revocationMode,
      failOpen: config.revocationFailOpen,
      cacheMaxAgeSeconds: config.ocspCacheMaxAgeSeconds,
      ...(config.ocspUrl ? { ocspUrl: config.ocspUrl } : {}),
      ...(deps.fetch ? { fetch: deps.fetch } : {}),
    }),
  }, deps.challenges, deps.audit);
}

/** The provider's verifier chain in the shape the card room uses. */
export function createCieLoginVerifier(deps: CieLoginVerifierDeps): CardLoginVerifier {
  const verify = createProviderAssertionVerifier(deps);
  return {
    async verify(rawAssertion) {
      const verified = await verify(rawAssertion, {});
      return { boundTo: verified.boundTo, fiscalCode: verified.identity.fiscalCode, claims: cieClaims(verified.identity), certificateSerial: verified.certificate.serialNumber };
    },
  };
}
