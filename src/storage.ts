import type { Configuration } from 'oidc-provider';
import type { ProviderConfig } from './config/config.js';
import { createMemoryAdapterFactory } from './oidc/adapters/memory-adapter.js';
import { createRedisAdapterFactory } from './oidc/adapters/redis-adapter.js';
import { createRedisClient, type RedisClient } from './oidc/redis/connection.js';
import { MemoryStateStore } from './oidc/state/memory-state-store.js';
import { RedisStateStore } from './oidc/state/redis-state-store.js';
import type { StateStore } from './oidc/state/state-store.js';

export interface Storage {
  /** Closing the store closes the storage (also the Redis connection the adapter shares). */
  store: StateStore;
  adapter: NonNullable<Configuration['adapter']>;
}

/** The Redis connection is created here, so the store handed out owns it and closes it. */
class OwningRedisStateStore extends RedisStateStore {
  constructor(private readonly client: RedisClient) {
    super(client);
  }

  override async close(): Promise<void> {
    // QUIT is refused while Redis is down (no offline queue); the socket is dropped either way.
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

/** In-memory storage (demo, one instance) or Redis (production, several stateless instances). */
export async function createStorage(config: Pick<ProviderConfig, 'redisUrl' | 'redisTls' | 'clockToleranceSeconds'>): Promise<Storage> {
  if (!config.redisUrl) {
    return { store: new MemoryStateStore(), adapter: createMemoryAdapterFactory({ clockToleranceSeconds: config.clockToleranceSeconds }) };
  }
  const redis = await createRedisClient(config.redisUrl, { tls: config.redisTls, onError: (error) => console.error(`redis: ${error.message}`) });
  return { store: new OwningRedisStateStore(redis), adapter: createRedisAdapterFactory(redis, { clockToleranceSeconds: config.clockToleranceSeconds }) };
}
