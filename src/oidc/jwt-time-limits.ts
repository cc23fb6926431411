/**
 * How long a request object or client assertion may live. Each is single use, so its `jti` is kept
 * in the replay store until it expires: without a bound here, the signer (or, before the signature
 * is checked, anyone) would choose how long that entry is stored (issue: "no lifetime chosen by the
 * input"). Seconds.
 */
export interface JwtTimeLimits {
  /** Largest `exp − iat` of a request object; also its lifetime when a legacy RP sends no `exp`. */
  requestObjectMaxLifetime: number;
  /** Largest `exp − iat` of a client assertion, and how far ahead its `exp` may be. */
  clientAssertionMaxLifetime: number;
  clockTolerance: number;
}

export const DEFAULT_REQUEST_OBJECT_MAX_LIFETIME = 600;
export const DEFAULT_CLIENT_ASSERTION_MAX_LIFETIME = 300;

/** Why a JWT's times are refused; the caller turns it into its endpoint's protocol error. */
export type JwtTimeProblem = string;

interface TimeRules {
  maxLifetime: number;
  clockTolerance: number;
  now: number;
  /** false: a missing `exp` is read as `iat + maxLifetime` (legacy request objects). */
  expRequired: boolean;
  /** true: a missing `iat` is refused (request objects, SPID/CIE OIDC guidelines: request object — docs/references.md). */
  iatRequired: boolean;
}

/**
 * The instant (epoch seconds) after which a verified JWT is no longer valid, or the reason its
 * times are refused: `iat` in the future beyond the tolerance, `exp − iat` or `exp − now` above the
 * maximum lifetime, already expired. The returned instant is never later than
 * now + maxLifetime + clockTolerance.
 */
export function validUntil(claims: Record<string, unknown>, rules: TimeRules): number | { problem: JwtTimeProblem } {
  const { maxLifetime, clockTolerance, now } = rules;
  const { iat, exp } = claims;
  if (iat !== undefined && typeof iat !== 'number') return { problem: 'iat must be a number' };
  if (exp !== undefined && typeof exp !== 'number') return { problem: 'exp must be a number' };
  if (iat === undefined && rules.iatRequired) return { problem: 'iat is required' };
  if (exp === undefined && rules.expRequired) return { problem: 'exp is required' };
  if (iat !== undefined && iat > now + clockTolerance) return { problem: 'iat is in the future' };
  if (exp === undefined && iat === undefined) return { problem: 'exp or iat is required' };
  const expiry = exp ?? iat! + maxLifetime;
  if (iat !== undefined && expiry - iat > maxLifetime) return { problem: `lifetime (exp - iat) longer than ${maxLifetime} seconds` };
  if (expiry - now > maxLifetime + clockTolerance) return { problem: `exp more than ${maxLifetime} seconds ahead` };
  if (now - clockTolerance >= expiry) return { problem: 'expired' };
  return expiry;
}

/** The longest any replay entry may be kept (seconds): the longest lifetime, plus the tolerance on both ends. */
export function replayTtlCap(limits: JwtTimeLimits): number {
  return Math.max(limits.requestObjectMaxLifetime, limits.clientAssertionMaxLifetime) + 2 * limits.clockTolerance;
}
