import { verdictFor, windowAt } from '../../src/storage/state/fixed-window.js';
import { FixedWindowLimiter } from '../../src/storage/state/rate-limiter.js';
import { MemoryStateStore } from '../../src/storage/state/memory-state-store.js';
import { clientNetwork } from '../../src/sign-in/client-network.js';
import { countsAsCardFailure, createCardRateLimits } from '../../src/sign-in/card/card-rate-limits.js';

describe('fixed windows', () => {
  test('windows are aligned to the epoch; the time left rounds up and is at least one second', () => {
    expect(windowAt(0, 60)).toEqual({ index: 0, secondsLeft: 60 });
    expect(windowAt(59_001, 60)).toEqual({ index: 0, secondsLeft: 1 });
    expect(windowAt(59_999, 60)).toEqual({ index: 0, secondsLeft: 1 });
    expect(windowAt(60_000, 60)).toEqual({ index: 1, secondsLeft: 60 });
    expect(windowAt(1_800_000 * 7 + 1, 1800)).toEqual({ index: 7, secondsLeft: 1800 });
  });

  test('a window that starts at the first request has no index and lasts its whole length', () => {
    expect(windowAt(1_800_000 * 7 - 1, 1800, 'first-request')).toEqual({ secondsLeft: 1800 });
  });

  test('a count up to the limit is allowed, the next is not; limit 0 allows everything', () => {
    const window = { index: 3, secondsLeft: 42 };
    expect(verdictFor(5, 5, window)).toEqual({ allowed: true, count: 5, retryAfterSeconds: 42 });
    expect(verdictFor(6, 5, window)).toEqual({ allowed: false, count: 6, retryAfterSeconds: 42 });
    expect(verdictFor(1_000_000, 0, window).allowed).toBe(true);
  });
});

describe('FixedWindowLimiter on the memory store with a moving clock', () => {
  let now: number;
  let store: MemoryStateStore;
  beforeEach(() => {
    now = 1_000 * 60_000 + 10_000; // 10 s into a minute
    store = new MemoryStateStore(() => now);
  });
  afterEach(() => store.close());

  test('allows `limit` hits per window and subject, then refuses until the next window', async () => {
    const limiter = new FixedWindowLimiter(store, { name: 'test', limit: 3, windowSeconds: 60 }, () => now);
    expect((await limiter.hit('a')).allowed).toBe(true);
    expect((await limiter.hit('a')).allowed).toBe(true);
    expect(await limiter.peek('a')).toEqual({ allowed: true, count: 3, retryAfterSeconds: 50 });
    expect(await limiter.hit('a')).toEqual({ allowed: true, count: 3, retryAfterSeconds: 50 });
    expect(await limiter.peek('a')).toEqual({ allowed: false, count: 4, retryAfterSeconds: 50 });
    now += 20_000;
    expect(await limiter.hit('a')).toEqual({ allowed: false, count: 4, retryAfterSeconds: 30 });
    expect((await limiter.hit('b')).allowed).toBe(true);
    now += 30_000; // the next minute
    expect(await limiter.hit('a')).toEqual({ allowed: true, count: 1, retryAfterSeconds: 60 });
  });

  test('a window from the first request does not reset at a clock boundary: the limit holds across it', async () => {
    now = 1_000 * 1_800_000 - 5_000; // 5 s before a 30-minute boundary
    const limiter = new FixedWindowLimiter(store, { name: 'per-interaction', limit: 2, windowSeconds: 1800, windowStart: 'first-request' }, () => now);
    expect((await limiter.hit('uid')).allowed).toBe(true);
    expect((await limiter.hit('uid')).allowed).toBe(true);
    now += 10_000; // past the boundary: a clock-aligned window would start again from zero here
    expect(await limiter.peek('uid')).toEqual({ allowed: false, count: 3, retryAfterSeconds: 1800 });
    expect((await limiter.hit('uid')).allowed).toBe(false);
    now += 1_800_000; // the counter, started by the first hit, has expired
    expect(await limiter.hit('uid')).toEqual({ allowed: true, count: 1, retryAfterSeconds: 1800 });
  });

  test('the card limits: per network in clock minutes, per interaction from its first request', async () => {
    const calls: Array<[string, number]> = [];
    const recording = { increment: async (key: string, ttl: number) => (calls.push([key, ttl]), 1), get: async () => undefined };
    const limits = createCardRateLimits(recording, { requestsPerNetworkPerMinute: 5, challengesPerInteraction: 5, failuresPerInteraction: 5 }, () => now);
    await limits.perNetwork.hit('203.0.113.7');
    await limits.challengesPerInteraction.hit('uid-1');
    await limits.failuresPerInteraction.hit('uid-1');
    expect(calls).toEqual([['ratelimit:card-ip:203.0.113.7:1000', 50], ['ratelimit:card-challenge:uid-1', 1800], ['ratelimit:card-failure:uid-1', 1800]]);
  });

  test('peek never counts', async () => {
    const limiter = new FixedWindowLimiter(store, { name: 'test', limit: 1, windowSeconds: 60 }, () => now);
    for (let i = 0; i < 5; i += 1) expect((await limiter.peek('a')).allowed).toBe(true);
    expect((await limiter.hit('a')).count).toBe(1);
  });

  test('limits of different names count apart', async () => {
    const one = new FixedWindowLimiter(store, { name: 'one', limit: 1, windowSeconds: 60 }, () => now);
    const two = new FixedWindowLimiter(store, { name: 'two', limit: 1, windowSeconds: 60 }, () => now);
    expect((await one.hit('same')).allowed).toBe(true);
    expect((await two.hit('same')).allowed).toBe(true);
    expect((await one.hit('same')).allowed).toBe(false);
  });

  test('limit 0 is off: nothing is counted or read', async () => {
    const untouchable = { increment: () => Promise.reject(new Error('counted')), get: () => Promise.reject(new Error('read')) };
    const limiter = new FixedWindowLimiter(untouchable, { name: 'off', limit: 0, windowSeconds: 60 }, () => now);
    expect(limiter.enabled).toBe(false);
    expect((await limiter.hit('a')).allowed).toBe(true);
    expect((await limiter.peek('a')).allowed).toBe(true);
  });

  test('the counter expires with its window, and its key cannot carry a Redis Cluster hash tag', async () => {
    const calls: Array<[string, number]> = [];
    const recording = { increment: async (key: string, ttl: number) => (calls.push([key, ttl]), 1), get: async () => undefined };
    const limiter = new FixedWindowLimiter(recording, { name: 'card-ip', limit: 5, windowSeconds: 60 }, () => now);
    await limiter.hit('{evil}:1');
    expect(calls).toEqual([['ratelimit:card-ip:%7Bevil%7D%3A1:1000', 50]]);
  });
});

describe('client networks', () => {
  test('IPv4 as it is, IPv4-mapped IPv6 as IPv4, IPv6 by its /64', () => {
    expect(clientNetwork('203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetwork('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientNetwork('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(clientNetwork('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(clientNetwork('2001:0db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientNetwork('::1')).toBe('0:0:0:0::/64');
    expect(clientNetwork('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientNetwork('2001:db8:1:2::1')).toBe(clientNetwork('2001:db8:1:2:ffff::9'));
    expect(clientNetwork('2001:db8:1:3::1')).not.toBe(clientNetwork('2001:db8:1:2::1'));
  });
});

test('refusals on the provider side do not use up the citizen’s attempts', () => {
  expect(countsAsCardFailure('invalid_signature')).toBe(true);
  expect(countsAsCardFailure('certificate_revoked')).toBe(true);
  expect(countsAsCardFailure('revocation_unavailable')).toBe(false);
  expect(countsAsCardFailure('internal_error')).toBe(false);
});
