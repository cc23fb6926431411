/**
 * Fixed-window counting, pure. Windows are aligned to the epoch (window n covers
 * [n·length, (n+1)·length)), so every provider instance names the same window for the same moment
 * and Retry-After is known without asking storage how long a counter has left.
 */
export interface FixedWindow {
  /** Which window `now` falls in; part of the counter's key. */
  readonly index: number;
  /** Whole seconds until the window ends (at least 1): the counter's TTL and the Retry-After. */
  readonly secondsLeft: number;
}

export interface WindowVerdict {
  readonly allowed: boolean;
  /** Requests counted in this window, this one included (by `peek`: as if it were counted). */
  readonly count: number;
  /** When the next window starts; what a refused client is told to wait. */
  readonly retryAfterSeconds: number;
}

export function windowAt(nowMs: number, windowSeconds: number): FixedWindow {
  const lengthMs = windowSeconds * 1000;
  const index = Math.floor(nowMs / lengthMs);
  const endsAt = (index + 1) * lengthMs;
  return { index, secondsLeft: Math.max(1, Math.ceil((endsAt - nowMs) / 1000)) };
}

/** A window allows `limit` requests; 0 means no limit. */
export function verdictFor(count: number, limit: number, window: FixedWindow): WindowVerdict {
  return { allowed: limit === 0 || count <= limit, count, retryAfterSeconds: window.secondsLeft };
}
