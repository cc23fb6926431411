import { secondsSince, signIns, verifierDuration, verifierRefusals } from './metrics.js';

/** Refusals that are the provider's side (no revocation answer, a bug): the citizen did nothing wrong. */
const UNAVAILABLE = new Set(['revocation_unavailable', 'internal_error', 'storage_unavailable']);

interface Verifier<T> {
  verify(rawAssertion: string): Promise<T>;
}

/**
 * The card verifier with its metrics: latency by outcome, refusals by code, and each attempt as a
 * sign-in of `method` at `level` (success, refused, or unavailable when the provider could not decide);
 * with `metered: false` (no metrics endpoint), the verifier as it is.
 */
export function measuredVerifier<T, V extends Verifier<T>>(verifier: V, sign: { method: string; level: string }, metered = true): V {
  if (!metered) return verifier;
  return {
    ...verifier,
    async verify(rawAssertion: string): Promise<T> {
      const started = process.hrtime.bigint();
      try {
        const verified = await verifier.verify(rawAssertion);
        verifierDuration.observe({ outcome: 'accepted' }, secondsSince(started));
        signIns.inc({ ...sign, outcome: 'success' });
        return verified;
      } catch (error) {
        const raw = (error as { code?: unknown } | undefined)?.code;
        const code = typeof raw === 'string' ? raw : 'internal_error';
        verifierDuration.observe({ outcome: 'refused' }, secondsSince(started));
        verifierRefusals.inc({ code });
        signIns.inc({ ...sign, outcome: UNAVAILABLE.has(code) ? 'unavailable' : 'refused' });
        throw error;
      }
    },
  };
}
