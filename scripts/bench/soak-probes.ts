import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { ChildService } from './login-child.js';
import { redisFootprint } from './login-redis-memory.js';

/** One look at the provider process and Redis. */
export interface ResourceProbe {
  rssBytes: number;
  /** Provider heap used right after a full GC (soak-heap-probe.ts). */
  heapAfterGcBytes: number;
  openDescriptors: number;
  redisUsedBytes: number;
  redisKeys: number;
  providerCpuSeconds: number;
  redisCpuSeconds: number;
}

/** Asks the provider for its heap after GC (SIGUSR2 → soak-heap-probe.ts) and waits for the answer. */
async function heapAfterGc(provider: ChildService, heapFile: string): Promise<number> {
  const asked = Date.now();
  provider.process.kill('SIGUSR2');
  for (let attempt = 0; attempt < 100; attempt += 1) {
    await sleep(20);
    try {
      const answer = JSON.parse(readFileSync(heapFile, 'utf8')) as { at: number; heapUsed: number };
      if (answer.at >= asked) return answer.heapUsed;
    } catch {
      // Not written yet, or being written.
    }
  }
  return Number.NaN;
}

export async function probeResources(provider: ChildService, redisServer: ChildService, redis: Redis, heapFile: string): Promise<ResourceProbe> {
  const heap = await heapAfterGc(provider, heapFile);
  const footprint = await redisFootprint(redis);
  return {
    rssBytes: provider.rssBytes(),
    heapAfterGcBytes: heap,
    openDescriptors: readdirSync(`/proc/${provider.process.pid}/fd`).length,
    redisUsedBytes: footprint.usedBytes,
    redisKeys: footprint.keys,
    providerCpuSeconds: provider.cpuSeconds(),
    redisCpuSeconds: redisServer.cpuSeconds(),
  };
}

/** Redis keys by family (ids replaced by `*`): how many, and how many have no TTL. */
export async function keyFamilies(redis: Redis): Promise<Array<{ family: string; keys: number; withoutTtl: number }>> {
  const families = new Map<string, { keys: number; withoutTtl: number }>();
  for await (const batch of redis.scanStream({ count: 1000 })) {
    const keys = batch as string[];
    const ttls = await Promise.all(keys.map((key) => redis.pttl(key)));
    keys.forEach((key, index) => {
      // An id has a digit, '-' or '_' (model names have none) and 12 characters or more.
      const family = key.replace(/\{grant:[^}]+\}/, '{grant:*}').replace(/:(?=[^:{}]*[\d_-])[^:{}]{12,}(?=:|$)/g, ':*');
      const entry = families.get(family) ?? { keys: 0, withoutTtl: 0 };
      entry.keys += 1;
      if (ttls[index] === -1) entry.withoutTtl += 1;
      families.set(family, entry);
    });
  }
  return [...families].map(([family, counts]) => ({ family, ...counts })).sort((a, b) => b.keys - a.keys);
}
