import type { AdapterFactory } from 'oidc-provider';
import { createMemoryAdapterFactory } from '../../src/oidc/adapters/memory-adapter.js';
import { createRedisAdapterFactory } from '../../src/oidc/adapters/redis-adapter.js';
import { startRedis } from './redis-server.js';

export interface AdapterUnderTest {
  adapter: AdapterFactory;
  close(): Promise<void>;
}

/** This project's two oidc-provider adapters, for `describe.each`: in memory, and on a real redis-server. */
export const adapterBackends: Array<[string, () => Promise<AdapterUnderTest>]> = [
  ['memory', async () => ({ adapter: createMemoryAdapterFactory({ clockToleranceSeconds: 5 }), close: async () => {} })],
  [
    'redis',
    async () => {
      const server = await startRedis();
      const redis = await server.connect();
      return {
        adapter: createRedisAdapterFactory(redis, { clockToleranceSeconds: 5, keyPrefix: server.keyPrefix }),
        close: async () => {
          await redis.quit();
          await server.stop();
        },
      };
    },
  ],
];
