import type { Redis } from 'ioredis';

/**
 * The grant id of a refresh token: its `grant_id` claim (the bench trusts its own provider), or, for a
 * provider that does not sign one (before issue 21), the `grantOf:` pointer of its `jti`.
 */
export async function grantIdOf(redis: Redis, refreshToken: string): Promise<string> {
  const claims = JSON.parse(Buffer.from(refreshToken.split('.')[1]!, 'base64url').toString()) as { grant_id?: string; jti?: string };
  const grantId = claims.grant_id ?? (await redis.get(`oidc:grantOf:RefreshToken:${claims.jti}`));
  if (!grantId) throw new Error('the refresh token names no grant');
  return grantId;
}

export interface GrantFootprint {
  /** Each key kept for the grant, with what Redis says it occupies (MEMORY USAGE, bytes). */
  keys: Array<{ key: string; bytes: number }>;
  bytes: number;
}

/**
 * Every Redis key kept for one grant: the keys in its slot, its Grant entry and attribute copy
 * (`…:<grantId>`), the pointers naming it, and the account's set of offline grants that lists it.
 * One SCAN of the whole database: for a bench, not for production.
 */
export async function grantFootprint(redis: Redis, grantId: string): Promise<GrantFootprint> {
  const kept: string[] = [];
  for await (const batch of redis.scanStream({ count: 1000 })) {
    const keys = batch as string[];
    const strings = await Promise.all(keys.map(async (key) => (key.includes(':grantOf:') ? redis.get(key) : null)));
    // A StateStore set is a sorted set (redis-set-scripts.ts).
    const listing = await Promise.all(keys.map(async (key) => (key.includes(':offline-grants:') && (await redis.zscore(key, grantId)) !== null ? 1 : 0)));
    keys.forEach((key, index) => {
      if (key.includes(`{grant:${grantId}}`) || key.endsWith(`:${grantId}`) || strings[index] === grantId || listing[index] === 1) kept.push(key);
    });
  }
  const keys = await Promise.all(kept.sort().map(async (key) => ({ key, bytes: (await redis.memory('USAGE', key)) ?? 0 })));
  return { keys, bytes: keys.reduce((sum, { bytes }) => sum + bytes, 0) };
}
