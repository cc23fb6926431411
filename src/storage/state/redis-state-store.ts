import { randomBytes } from 'node:crypto';
import type { RedisClient } from '../redis/connection.js';
import { callRedis } from '../redis/redis-call.js';
import { runScript } from '../redis/run-script.js';
import { ADD_TO_SET, REMOVE_FROM_SET, SET_MEMBERS } from './redis-set-scripts.js';
import type { StateStore } from '../state-store.js';

/**
 * StateStore on Redis. Every method is one atomic command (or one MULTI or script on one key), so it is safe
 * across provider instances and on Redis Cluster. Connection failures surface as StorageUnavailableError.
 */
export class RedisStateStore implements StateStore {
  readonly #readinessKey: string;

  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix = 'state:',
  ) {
    // Random per process: the probes of many instances spread over keys (and Cluster slots) instead of one hot key.
    this.#readinessKey = `${keyPrefix}readyz:${randomBytes(8).toString('hex')}`;
  }

  async putIfAbsent(key: string, value: object, ttlSeconds: number): Promise<boolean> {
    const reply = await callRedis(() => this.redis.set(this.#key(key), JSON.stringify(value), 'PX', toMs(ttlSeconds), 'NX'));
    return reply === 'OK';
  }

  async put(key: string, value: object, ttlSeconds: number): Promise<void> {
    await callRedis(() => this.redis.set(this.#key(key), JSON.stringify(value), 'PX', toMs(ttlSeconds)));
  }

  async get<T extends object>(key: string): Promise<T | undefined> {
    return parse<T>(await callRedis(() => this.redis.get(this.#key(key))));
  }

  async take<T extends object>(key: string): Promise<T | undefined> {
    return parse<T>(await callRedis(() => this.redis.getdel(this.#key(key))));
  }

  async delete(key: string): Promise<void> {
    await callRedis(() => this.redis.del(this.#key(key)));
  }

  async increment(key: string, ttlSeconds: number): Promise<number> {
    const fullKey = this.#key(key);
    const replies = await callRedis(() => this.redis.multi().incr(fullKey).pexpire(fullKey, toMs(ttlSeconds), 'NX').exec());
    const [incrError, count] = replies?.[0] ?? [new Error('MULTI aborted')];
    if (incrError) throw incrError;
    return count as number;
  }

  async addToSet(key: string, member: string, ttlSeconds: number): Promise<void> {
    await callRedis(() => runScript(this.redis, ADD_TO_SET, 1, this.#key(key), member, toMs(ttlSeconds)));
  }

  async setMembers(key: string): Promise<string[]> {
    return (await callRedis(() => runScript(this.redis, SET_MEMBERS, 1, this.#key(key)))) as string[];
  }

  async removeFromSet(key: string, member: string): Promise<boolean> {
    return (await callRedis(() => runScript(this.redis, REMOVE_FROM_SET, 1, this.#key(key), member))) === 1;
  }

  /**
   * Readiness: Redis accepts a write. A PING is answered also while writes fail (OOM, MISCONF,
   * a replica after failover), so this writes one short-lived key of this instance instead: one
   * single-key SET (one Cluster slot), overwritten by the next probe, gone 10 s after the last.
   */
  async ping(): Promise<boolean> {
    try {
      return (await this.redis.set(this.#readinessKey, '1', 'PX', READINESS_KEY_TTL_MS)) === 'OK';
    } catch {
      return false;
    }
  }

  /** The Redis client is shared with the oidc-provider adapter; whoever created it closes it. */
  async close(): Promise<void> {}

  #key(key: string): string {
    return this.keyPrefix + key;
  }
}

const READINESS_KEY_TTL_MS = 10_000;

function toMs(ttlSeconds: number): number {
  return Math.max(Math.round(ttlSeconds * 1000), 1);
}

function parse<T>(json: string | null): T | undefined {
  return json === null ? undefined : (JSON.parse(json) as T);
}
