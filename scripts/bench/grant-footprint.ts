import type { Redis } from 'ioredis';

/** The grant id a refresh token JWT names (its `grant_id` claim; the bench trusts its own provider). */
export function grantIdOf(refreshToken: string): string {
  const claims = JSON.parse(Buffer.from(refreshToken.split('.')[1]!, 'base64url').toString()) as { grant_id?: string };
  if (!claims.grant_id) throw new Error('the refresh token names no grant_id');
  return claims.grant_id;
}

/**
 * Every Redis key kept for one grant and what Redis says it occupies (MEMORY USAGE): the keys in its
 * slot, its Grant entry and attribute copy (`…:<grantId>`), the pointers naming it, and the account's
 * set of offline grants that lists it. One SCAN of the whole database: for a bench, not for production.
 */
export async function grantFootprint(redis: Redis, grantId: string): Promise<{ keys: string[]; bytes: number }> {
  const kept: string[] = [];
  for await (const batch of redis.scanStream({ count: 1000 })) {
    const keys = batch as string[];
    const strings = await Promise.all(keys.map(async (key) => (key.includes(':grantOf:') ? redis.get(key) : null)));
    const listing = await Promise.all(keys.map(async (key) => (key.includes(':offline-grants:') ? redis.sismember(key, grantId) : 0)));
    keys.forEach((key, index) => {
      if (key.includes(`{grant:${grantId}}`) || key.endsWith(`:${grantId}`) || strings[index] === grantId || listing[index] === 1) kept.push(key);
    });
  }
  const usages = await Promise.all(kept.map((key) => redis.memory('USAGE', key)));
  return { keys: kept.sort(), bytes: usages.reduce<number>((sum, usage) => sum + (usage ?? 0), 0) };
}
