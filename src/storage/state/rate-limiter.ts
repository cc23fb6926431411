import { verdictFor, windowAt, type WindowStart, type WindowVerdict } from './fixed-window.js';
import type { StateStore } from '../state-store.js';

export interface RateLimit {
  /** Names the counters in storage (`ratelimit:<name>:…`); one per kind of limit. */
  readonly name: string;
  /** Requests allowed per window and subject; 0 turns the limit off (nothing is counted). */
  readonly limit: number;
  readonly windowSeconds: number;
  /** 'clock' (the default): windows aligned to the epoch; 'first-request': one window per subject, from its first request. */
  readonly windowStart?: WindowStart;
}

/**
 * A fixed-window rate limiter on `StateStore.increment`. Fixed rather than sliding: one atomic
 * INCR (+ expiry) on one key per request, the same on every instance sharing the store, and one
 * small counter per subject and window. With clock windows, a burst straddling two windows can get
 * up to twice the limit through, acceptable for limits set far above normal use; a window that
 * starts at the subject's first request has no such edge, but its Retry-After is only an upper bound.
 * Counters expire with their window. Errors of the store (StorageUnavailableError) pass through
 * uncounted: the caller answers 503 as for any other storage failure.
 */
export class FixedWindowLimiter {
  constructor(
    private readonly store: Pick<StateStore, 'increment' | 'get'>,
    readonly rule: RateLimit,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.rule.limit > 0;
  }

  /** Counts one request of `subject` and says whether it is within the limit. */
  async hit(subject: string): Promise<WindowVerdict> {
    const window = windowAt(this.now(), this.rule.windowSeconds, this.rule.windowStart);
    if (!this.enabled) return verdictFor(0, 0, window);
    const count = await this.store.increment(this.#key(subject, window.index), window.secondsLeft);
    return verdictFor(count, this.rule.limit, window);
  }

  /**
   * Whether one more request of `subject` would be allowed, without counting it: for a limit
   * counted elsewhere (the refused assertions, counted where the refusal happens).
   */
  async peek(subject: string): Promise<WindowVerdict> {
    const window = windowAt(this.now(), this.rule.windowSeconds, this.rule.windowStart);
    if (!this.enabled) return verdictFor(0, 0, window);
    // A counter is stored as a JSON number by both stores (INCR keeps its decimal text).
    const stored: unknown = await this.store.get<object>(this.#key(subject, window.index));
    const count = typeof stored === 'number' ? stored : 0;
    return verdictFor(count + 1, this.rule.limit, window);
  }

  // The subject is percent-encoded, so it can hold neither ':' nor a Redis Cluster hash tag '{…}':
  // each counter is one key of its own, and every command on it stays in one slot.
  #key(subject: string, windowIndex: number | undefined): string {
    const counter = `ratelimit:${this.rule.name}:${encodeURIComponent(subject)}`;
    return windowIndex === undefined ? counter : `${counter}:${windowIndex}`;
  }
}
