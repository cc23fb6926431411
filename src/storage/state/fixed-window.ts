/**
 * Fixed-window counting, pure. A window either is aligned to the epoch (window n covers
 * [n·length, (n+1)·length)), so every provider instance names the same window for the same moment
 * and Retry-After is known without asking storage how long a counter has left; or starts at the
 * subject's first request and has no index (one window per subject: a counter per interaction that
 * lives as long as the interaction can, so no clock boundary lets twice the limit through).
 */
export interface FixedWindow {
  /** Which window `now` falls in, part of the counter's key; absent for a window that starts at the first request. */
  readonly index?: number;
  /** Whole seconds until the window ends at the latest (at least 1): the counter's TTL and the Retry-After. */
  readonly secondsLeft: number;
}

export type WindowStart = 'clock' | 'first-request';

export interface WindowVerdict {
  readonly allowed: boolean;
  /** Requests counted in this window, this one included (by `peek`: as if it were counted). */
  readonly count: number;
  /** When the next window starts; what a refused client is told to wait. */
  readonly retryAfterSeconds: number;
}

export function windowAt(nowMs: number, windowSeconds: number, start: WindowStart = 'clock'): FixedWindow {
  // The counter's own expiry (set by its first increment) ends such a window; Retry-After is an upper bound.
  if (start === 'first-request') return { secondsLeft: windowSeconds };
  const lengthMs = windowSeconds * 1000;
  const index = Math.floor(nowMs / lengthMs);
  const endsAt = (index + 1) * lengthMs;
  return { index, secondsLeft: Math.max(1, Math.ceil((endsAt - nowMs) / 1000)) };
}

/** A window allows `limit` requests; 0 means no limit. */
export function verdictFor(count: number, limit: number, window: FixedWindow): WindowVerdict {
  return { allowed: limit === 0 || count <= limit, count, retryAfterSeconds: window.secondsLeft };
}
