import { attemptVerdict, DEFAULT_LOCKOUT_POLICY, delayAfter, recordFailure, type FailureRecord } from '../../src/credentials/lockout-policy.js';

describe('lockout policy', () => {
  const policy = DEFAULT_LOCKOUT_POLICY;

  test('five failures are free; then the wait doubles from 30 s up to a 15-minute cap, never more', () => {
    expect([1, 2, 3, 4, 5].map((n) => delayAfter(n, policy))).toEqual([0, 0, 0, 0, 0]);
    expect([6, 7, 8, 9, 10, 11].map((n) => delayAfter(n, policy))).toEqual([30, 60, 120, 240, 480, 900]);
    expect(delayAfter(1_000_000, policy)).toBe(900);
  });

  test('a throttled username may try again once its wait is over: there is no permanent lock', () => {
    let record: FailureRecord | undefined;
    let now = 1_000_000;
    for (let i = 0; i < 1000; i++) {
      const verdict = attemptVerdict(record, now, policy);
      if (!verdict.allowed) {
        expect(verdict.retryAfterSeconds).toBeLessThanOrEqual(policy.maxDelaySeconds);
        now += verdict.retryAfterSeconds * 1000;
        expect(attemptVerdict(record, now, policy).allowed).toBe(true);
      }
      record = recordFailure(record, now, policy);
    }
    expect(record!.failures).toBe(1000);
    expect(record!.lockedUntil - record!.lastFailureAt).toBe(policy.maxDelaySeconds * 1000);
  });

  test('the count is forgotten after a quiet day', () => {
    let record: FailureRecord | undefined;
    for (let i = 0; i < 8; i++) record = recordFailure(record, 0, policy);
    expect(attemptVerdict(record, 1000, policy)).toEqual({ allowed: false, retryAfterSeconds: 119 });
    const later = policy.forgetAfterSeconds * 1000;
    expect(recordFailure(record, later, policy).failures).toBe(1);
  });
});
