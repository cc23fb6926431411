import type { RedisClient } from '../../src/storage/redis/connection.js';
import { createRedisAdapterFactory } from '../../src/storage/adapters/redis-adapter.js';
import { redisFootprint } from '../support/stored-footprint.js';
import type { AdapterHarness } from './adapter-contract.js';

/** The adapter contract's harness on one Redis client: each factory under its own key prefix. */
export function redisAdapterHarness(client: RedisClient, prefixBase: string, close: () => Promise<void>): AdapterHarness {
  let factories = 0;
  let prefix = '';
  return {
    create: (options) => {
      prefix = `${prefixBase}${(factories += 1)}:`;
      return createRedisAdapterFactory(client, { ...options, keyPrefix: prefix });
    },
    footprint: () => redisFootprint(client, prefix),
    close,
  };
}
