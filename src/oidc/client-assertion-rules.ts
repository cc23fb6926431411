import { errors, type KoaContextWithOIDC } from 'oidc-provider';
import { validUntil, type JwtTimeLimits } from './jwt-time-limits.js';

/**
 * oidc-provider's `assertJwtClientAuthClaimsAndHeader`: runs after the client assertion's signature
 * verified and before its `jti` is stored for replay detection (until `exp`). The library requires
 * `exp` but not how far ahead it is, and lets `iat` be in the future when `exp` is present: so a
 * signer could keep its entry stored for years. Refused here: `iat` in the future beyond the clock
 * tolerance, `exp − iat` or `exp − now` above CLIENT_ASSERTION_MAX_LIFETIME.
 */
export function clientAssertionTimeRules(limits: JwtTimeLimits) {
  return async function assertClientAssertionTimes(_ctx: KoaContextWithOIDC, claims: Record<string, unknown>): Promise<void> {
    const result = validUntil(claims, {
      maxLifetime: limits.clientAssertionMaxLifetime,
      clockTolerance: limits.clockTolerance,
      now: Math.floor(Date.now() / 1000),
      expRequired: true,
      iatRequired: false,
    });
    if (typeof result !== 'number') throw new errors.InvalidClientAuth(`client assertion: ${result.problem}`);
  };
}
