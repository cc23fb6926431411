import type { Redis } from 'ioredis';

/** Redis's own count of allocated bytes (INFO memory `used_memory`) and its number of keys. */
export async function redisFootprint(redis: Redis): Promise<{ usedBytes: number; keys: number }> {
  const info = await redis.info('memory');
  const usedBytes = Number(/^used_memory:(\d+)/m.exec(info)?.[1]);
  return { usedBytes, keys: await redis.dbsize() };
}
