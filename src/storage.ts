import type { Configuration } from 'oidc-provider';
import type { ProviderConfig } from './config/config.js';
import { createMemoryAdapterFactory } from './oidc/adapters/memory-adapter.js';
import { createRedisAdapterFactory } from './oidc/adapters/redis-adapter.js';
import { createRedisClient } from './oidc/redis/connection.js';
import { MemoryStateStore } from './oidc/state/memory-state-store.js';
import { RedisStateStore } from './oidc/state/redis-state-store.js';
import type { StateStore } from './oidc/state/state-store.js';

export interface Storage {
  store: StateStore;
  adapter: NonNullable<Configuration['adapter']>;
}

/** In-memory storage (demo, one instance) or Redis (production, several stateless instances). */
export async function createStorage(config: Pick<ProviderConfig, 'redisUrl' | 'clockToleranceSeconds'>): Promise<Storage> {
  if (!config.redisUrl) {
    return { store: new MemoryStateStore(), adapter: createMemoryAdapterFactory({ clockToleranceSeconds: config.clockToleranceSeconds }) };
  }
  const redis = await createRedisClient(config.redisUrl, { onError: (error) => console.error(`redis: ${error.message}`) });
  return { store: new RedisStateStore(redis), adapter: createRedisAdapterFactory(redis, { clockToleranceSeconds: config.clockToleranceSeconds }) };
}
