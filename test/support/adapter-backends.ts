import type { AdapterFactory } from 'oidc-provider';
import { createMemoryAdapterFactory } from '../../src/storage/adapters/memory-adapter.js';
import { createRedisAdapterFactory } from '../../src/storage/adapters/redis-adapter.js';
import { memoryFootprint, redisFootprint, type StoredFootprint } from './stored-footprint.js';
import { startRedis } from './redis-server.js';

export interface AdapterUnderTest {
  adapter: AdapterFactory;
  /** What the store holds now (memory: entries, pointers and spent-token records), but `exceptModel`'s entries. */
  footprint(exceptModel?: string): Promise<StoredFootprint>;
  close(): Promise<void>;
}

function memoryBackend(): AdapterUnderTest {
  const adapter = createMemoryAdapterFactory({ clockToleranceSeconds: 5 });
  return { adapter, footprint: (exceptModel) => memoryFootprint(adapter, exceptModel), close: async () => {} };
}

/** This project's two oidc-provider adapters, for `describe.each`: in memory, and on a real redis-server. */
export const adapterBackends: Array<[string, () => Promise<AdapterUnderTest>]> = [
  ['memory', async () => memoryBackend()],
  [
    'redis',
    async () => {
      const server = await startRedis();
      const redis = await server.connect();
      return {
        adapter: createRedisAdapterFactory(redis, { clockToleranceSeconds: 5, keyPrefix: server.keyPrefix }),
        footprint: (exceptModel) => redisFootprint(redis, server.keyPrefix, exceptModel),
        close: async () => {
          await redis.quit();
          await server.stop();
        },
      };
    },
  ],
];
