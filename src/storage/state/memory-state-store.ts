import type { StateStore } from '../state-store.js';

interface Entry {
  readonly json: string;
  readonly expiresAt: number;
}

/**
 * In-process StateStore for the demo and single-instance deployments. Node runs one callback at a
 * time, so each method is atomic without locks. Values are stored as JSON so callers never share
 * mutable objects with the store (the Redis store behaves the same way).
 */
export class MemoryStateStore implements StateStore {
  readonly #entries = new Map<string, Entry>();
  /** Sets: member → its expiry (epoch ms). */
  readonly #sets = new Map<string, Map<string, number>>();
  readonly #sweeper: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    this.#sweeper = setInterval(() => this.#sweep(), 60_000);
    this.#sweeper.unref();
  }

  async putIfAbsent(key: string, value: object, ttlSeconds: number): Promise<boolean> {
    if (this.#live(key)) return false;
    this.#entries.set(key, { json: JSON.stringify(value), expiresAt: this.now() + ttlSeconds * 1000 });
    return true;
  }

  async put(key: string, value: object, ttlSeconds: number): Promise<void> {
    this.#entries.set(key, { json: JSON.stringify(value), expiresAt: this.now() + ttlSeconds * 1000 });
  }

  async get<T extends object>(key: string): Promise<T | undefined> {
    const entry = this.#live(key);
    return entry ? (JSON.parse(entry.json) as T) : undefined;
  }

  async take<T extends object>(key: string): Promise<T | undefined> {
    const entry = this.#live(key);
    this.#entries.delete(key);
    return entry ? (JSON.parse(entry.json) as T) : undefined;
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key);
    this.#sets.delete(key);
  }

  async increment(key: string, ttlSeconds: number): Promise<number> {
    const entry = this.#live(key);
    const current: unknown = entry ? JSON.parse(entry.json) : 0;
    // Same contract as Redis INCR: a key holding anything but a counter is an error.
    if (typeof current !== 'number') throw new TypeError(`${key} does not hold a counter`);
    const next = current + 1;
    this.#entries.set(key, { json: JSON.stringify(next), expiresAt: entry?.expiresAt ?? this.now() + ttlSeconds * 1000 });
    return next;
  }

  async addToSet(key: string, member: string, ttlSeconds: number): Promise<void> {
    const members = this.#liveSet(key) ?? new Map<string, number>();
    members.set(member, this.now() + ttlSeconds * 1000);
    this.#sets.set(key, members);
  }

  async setMembers(key: string): Promise<string[]> {
    return [...(this.#liveSet(key)?.keys() ?? [])];
  }

  async removeFromSet(key: string, member: string): Promise<boolean> {
    const members = this.#liveSet(key);
    const removed = members?.delete(member) ?? false;
    if (members?.size === 0) this.#sets.delete(key);
    return removed;
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#entries.clear();
    this.#sets.clear();
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt <= this.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /** The set at `key` without its expired members; undefined (and forgotten) once none is left. */
  #liveSet(key: string): Map<string, number> | undefined {
    const members = this.#sets.get(key);
    if (!members) return undefined;
    const now = this.now();
    for (const [member, expiresAt] of members) if (expiresAt <= now) members.delete(member);
    if (members.size > 0) return members;
    this.#sets.delete(key);
    return undefined;
  }

  #sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
    for (const key of this.#sets.keys()) this.#liveSet(key);
  }
}
