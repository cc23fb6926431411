/**
 * Small key/value store for the provider's own short-lived state (challenges, completion tickets,
 * replay caches, rate-limit counters). In-memory by default, Redis in production; both pass the
 * same contract tests. Values are JSON-serialisable objects.
 */
export interface StateStore {
  /** Stores `value` under `key` for `ttlSeconds`, only if the key does not exist. Returns false if it did. */
  putIfAbsent(key: string, value: object, ttlSeconds: number): Promise<boolean>;
  /** Stores `value` under `key` for `ttlSeconds`, replacing what was there, in one atomic step. */
  put(key: string, value: object, ttlSeconds: number): Promise<void>;
  /** Reads without consuming. */
  get<T extends object>(key: string): Promise<T | undefined>;
  /** Atomically reads and deletes: of two concurrent calls for one key, exactly one gets the value. */
  take<T extends object>(key: string): Promise<T | undefined>;
  delete(key: string): Promise<void>;
  /** Increments a counter that expires `ttlSeconds` after its first increment; returns the new value. */
  increment(key: string, ttlSeconds: number): Promise<number>;
  /** Liveness of the backing service (always true in memory). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
