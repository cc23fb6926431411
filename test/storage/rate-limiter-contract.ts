import { FixedWindowLimiter, type RateLimit } from '../../src/storage/state/rate-limiter.js';
import type { StateStore } from '../../src/storage/state-store.js';
import { windowAt } from '../../src/storage/state/fixed-window.js';
import { eventually } from './eventually.js';

export interface LimiterStoresHarness {
  /**
   * Two stores over the same counters, as two provider instances see them (for Redis: two
   * clients of one server or cluster); their keys do not collide with earlier calls'.
   */
  createPair(): [StateStore, StateStore];
  close(): Promise<void>;
}

/**
 * A controlled clock: the limiter reads the window from it, so no test depends on where the wall clock
 * stands in a window (a loaded machine can stretch a few calls past any margin); the counters' expiry
 * in the store stays real. It starts mid-window of a 60 s window, well inside every window length used.
 */
function controlledClock(): { now: () => number; set: (ms: number) => void; ms: number } {
  const clock = { ms: Math.floor(Date.now() / 60_000) * 60_000 + 30_000, now: () => clock.ms, set: (ms: number) => void (clock.ms = ms) };
  return clock;
}

/** The limiter's behaviour on a StateStore back-end (memory, single Redis, Redis Cluster). */
export function describeRateLimiterContract(label: string, open: () => Promise<LimiterStoresHarness>): void {
  describe(`${label}: fixed-window rate limiter`, () => {
    let harness: LimiterStoresHarness;
    let instanceA: StateStore;
    let instanceB: StateStore;
    let clock: ReturnType<typeof controlledClock>;
    const limiterOn = (store: StateStore, rule: Partial<RateLimit> = {}) => new FixedWindowLimiter(store, { name: 'contract', limit: 5, windowSeconds: 60, ...rule }, clock.now);

    beforeAll(async () => {
      harness = await open();
    }, 60_000);
    afterAll(async () => {
      await harness.close();
    });
    beforeEach(() => {
      [instanceA, instanceB] = harness.createPair();
      clock = controlledClock();
    });

    test('allows the limit, refuses the next with the seconds left in the window', async () => {
      const limiter = limiterOn(instanceA);
      const verdicts = [];
      for (let i = 0; i < 6; i += 1) verdicts.push(await limiter.hit('203.0.113.7'));
      expect(verdicts.map((v) => v.allowed)).toEqual([true, true, true, true, true, false]);
      expect(verdicts.map((v) => v.count)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(verdicts[5]!.retryAfterSeconds).toBeGreaterThan(0);
      expect(verdicts[5]!.retryAfterSeconds).toBeLessThanOrEqual(60);
      expect((await limiter.hit('203.0.113.8')).allowed).toBe(true);
    });

    test('two instances share the counters: peek on one sees the hits of the other', async () => {
      const [onA, onB] = [limiterOn(instanceA, { limit: 2 }), limiterOn(instanceB, { limit: 2 })];
      expect((await onB.peek('uid-1')).count).toBe(1);
      await onA.hit('uid-1');
      expect(await onB.peek('uid-1')).toMatchObject({ allowed: true, count: 2 });
      await onA.hit('uid-1');
      expect(await onB.peek('uid-1')).toMatchObject({ allowed: false, count: 3 });
      expect((await onB.hit('uid-1')).allowed).toBe(false);
    });

    test('concurrent hits from two instances are counted exactly: the limit is never exceeded', async () => {
      const [onA, onB] = [limiterOn(instanceA, { limit: 60 }), limiterOn(instanceB, { limit: 60 })];
      const verdicts = await Promise.all(Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? onA : onB).hit('nat')));
      expect(verdicts.map((v) => v.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      expect(verdicts.filter((v) => v.allowed)).toHaveLength(60);
    });

    test('a counter expires with its window, and the next window starts from zero', async () => {
      const windowMs = 2000;
      // At a window's start: the counter lives its whole 2 s in the store.
      clock.set(Math.ceil(clock.ms / windowMs) * windowMs);
      const limiter = limiterOn(instanceA, { limit: 1, windowSeconds: windowMs / 1000 });
      const key = `ratelimit:contract:short:${windowAt(clock.ms, windowMs / 1000).index}`;
      expect((await limiter.hit('short')).allowed).toBe(true);
      expect(await instanceB.get(key)).toBe(1);
      expect((await limiter.hit('short')).allowed).toBe(false);
      await eventually(async () => (await instanceB.get(key)) === undefined);
      clock.set(clock.ms + windowMs);
      expect(await limiter.hit('short')).toMatchObject({ allowed: true, count: 1 });
    });

    test('a window that starts at the first request: one counter per subject, expiring its length after the first hit', async () => {
      const limiter = limiterOn(instanceA, { limit: 2, windowSeconds: 2, windowStart: 'first-request' });
      const other = limiterOn(instanceB, { limit: 2, windowSeconds: 2, windowStart: 'first-request' });
      // The first hit just before a 2 s (and 1 s) clock boundary, the second just past it: still one counter.
      clock.set(Math.ceil(clock.ms / 2000) * 2000 - 1);
      expect(await limiter.hit('uid-9')).toEqual({ allowed: true, count: 1, retryAfterSeconds: 2 });
      clock.set(clock.ms + 2);
      expect(await other.hit('uid-9')).toEqual({ allowed: true, count: 2, retryAfterSeconds: 2 });
      expect(await limiter.hit('uid-9')).toMatchObject({ allowed: false, count: 3 });
      expect(await instanceB.get('ratelimit:contract:uid-9')).toBe(3);
      await eventually(async () => (await instanceB.get('ratelimit:contract:uid-9')) === undefined);
      expect(await other.hit('uid-9')).toMatchObject({ allowed: true, count: 1 });
    });
  });
}
