/**
 * Small key/value store for the provider's own short-lived state (challenges, completion tickets,
 * replay caches, rate-limit counters) and small sets (an account's offline grants). In-memory by
 * default, Redis in production; both pass the same contract tests. Values are JSON-serialisable
 * objects; set members are strings.
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
  /**
   * Adds `member` to the set at `key`; the member expires `ttlSeconds` from now (adding it again
   * renews it) and the set disappears with its last member.
   */
  addToSet(key: string, member: string, ttlSeconds: number): Promise<void>;
  /** The live members of the set at `key`, in no particular order (none if there is no set). */
  setMembers(key: string): Promise<string[]>;
  /** Removes `member` from the set at `key`; true if it was there. */
  removeFromSet(key: string, member: string): Promise<boolean>;
  /** Liveness of the backing service (always true in memory). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
