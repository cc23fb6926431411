import { scanKeys, type RedisHandle } from '../../support/redis-server.js';

/** Every key of a Redis with its content (TTLs aside), to compare before and after a request. */
export type RedisSnapshot = Map<string, unknown>;

/** Reads the whole data set through a fresh client of the test's own (not through the provider's link). */
export async function snapshotRedis(redis: RedisHandle): Promise<RedisSnapshot> {
  const client = await redis.connect();
  try {
    const snapshot: RedisSnapshot = new Map();
    for (const key of await scanKeys(client, '*')) {
      const type = await client.type(key);
      const content =
        type === 'hash' ? await client.hgetall(key)
        : type === 'string' ? await client.get(key)
        : type === 'zset' ? await client.zrange(key, 0, -1, 'WITHSCORES')
        : type === 'set' ? (await client.smembers(key)).sort()
        : type === 'list' ? await client.lrange(key, 0, -1)
        : type;
      // A key that expired between SCAN and the read reads as type "none": it is not part of the data set.
      if (type !== 'none') snapshot.set(key, content);
    }
    return snapshot;
  } finally {
    client.disconnect();
  }
}

/** Keys in `after` that `before` does not have. */
export function addedKeys(before: RedisSnapshot, after: RedisSnapshot): string[] {
  return [...after.keys()].filter((key) => !before.has(key)).sort();
}
