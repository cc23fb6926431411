/**
 * How failed password attempts slow a username down, pure. A few failures are free (typos); each
 * further one doubles the wait, up to a cap, and the count is forgotten after a quiet day. There is
 * no permanent lock: the worst an attacker who keeps guessing can do is make the citizen wait the
 * cap between password attempts, and the citizen still signs in with a passkey or the card, which
 * clears the count (a card sign-in is the recovery: docs/levels.md). Counted per username, whether
 * or not an account has it, so the answer "wait" tells nothing about who exists.
 */
export interface LockoutPolicy {
  /** Failures before any wait. */
  freeFailures: number;
  /** The first wait (seconds); each later failure doubles it. */
  baseDelaySeconds: number;
  /** The longest wait (seconds), however many failures. */
  maxDelaySeconds: number;
  /** After this long without a failure (seconds), the count starts again at zero. */
  forgetAfterSeconds: number;
}

export const DEFAULT_LOCKOUT_POLICY: LockoutPolicy = { freeFailures: 5, baseDelaySeconds: 30, maxDelaySeconds: 900, forgetAfterSeconds: 86_400 };

/** What is kept per username (epoch milliseconds). */
export interface FailureRecord {
  failures: number;
  lastFailureAt: number;
  lockedUntil: number;
}

export type AttemptVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** The record as it stands at `now`: an old one is forgotten. */
export function currentRecord(record: FailureRecord | undefined, now: number, policy: LockoutPolicy = DEFAULT_LOCKOUT_POLICY): FailureRecord | undefined {
  if (!record || now - record.lastFailureAt >= policy.forgetAfterSeconds * 1000) return undefined;
  return record;
}

/** Whether a password may be tried now for this username. */
export function attemptVerdict(record: FailureRecord | undefined, now: number, policy: LockoutPolicy = DEFAULT_LOCKOUT_POLICY): AttemptVerdict {
  const current = currentRecord(record, now, policy);
  if (!current || current.lockedUntil <= now) return { allowed: true };
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((current.lockedUntil - now) / 1000)) };
}

/** The wait after the `failures`-th failure in a row (seconds; 0 while free). */
export function delayAfter(failures: number, policy: LockoutPolicy = DEFAULT_LOCKOUT_POLICY): number {
  const beyond = failures - policy.freeFailures;
  if (beyond <= 0) return 0;
  // 2^beyond overflows nothing: the exponent is capped once the delay reaches the cap.
  const doublings = Math.min(beyond - 1, 30);
  return Math.min(policy.baseDelaySeconds * 2 ** doublings, policy.maxDelaySeconds);
}

/** The record after one more failure at `now`. */
export function recordFailure(record: FailureRecord | undefined, now: number, policy: LockoutPolicy = DEFAULT_LOCKOUT_POLICY): FailureRecord {
  const failures = (currentRecord(record, now, policy)?.failures ?? 0) + 1;
  return { failures, lastFailureAt: now, lockedUntil: now + delayAfter(failures, policy) * 1000 };
}
