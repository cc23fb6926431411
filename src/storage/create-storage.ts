import { Cluster } from 'ioredis';
import type { Configuration } from 'oidc-provider';
import type { ProviderConfig } from '../config/config.js';
import { createMemoryAdapterFactory } from './adapters/memory-adapter.js';
import { createRedisAdapterFactory } from './adapters/redis-adapter.js';
import { openRedisClient, type RedisClient } from './redis/connection.js';
import { MemoryStateStore } from './state/memory-state-store.js';
import { RedisStateStore } from './state/redis-state-store.js';
import type { StateStore } from './state-store.js';
import { loggerFor } from '../shared/logger.js';

export interface Storage {
  /** Closing the store closes the storage (also the Redis connection the adapter shares). */
  store: StateStore;
  adapter: NonNullable<Configuration['adapter']>;
  /** Which backend, for the storage metrics' `backend` label. */
  backend: 'memory' | 'redis';
}

const log = loggerFor('storage');

/** The Redis connection is created here, so the store handed out owns it and closes it. */
class OwningRedisStateStore extends RedisStateStore {
  constructor(private readonly client: RedisClient) {
    super(client);
  }

  /**
   * Redis answers each connection's commands in order, so once every connection has answered a PING,
   * every write sent before it is done; then the sockets are dropped (QUIT is deprecated since Redis 7.2).
   * While Redis is down the PINGs fail at once and there is nothing left to wait for.
   */
  override async close(): Promise<void> {
    const connections = this.client instanceof Cluster ? this.client.nodes() : [this.client];
    await Promise.allSettled(connections.map((connection) => connection.ping()));
    this.client.disconnect();
  }
}

/**
 * Logs the first error of an outage and the recovery, not every reconnection attempt (ioredis
 * retries every ~2 s and would repeat the same line for as long as Redis is away).
 */
function logOutages(client: RedisClient, log: (event: 'redis_unavailable' | 'redis_available', line: string) => void, downAtStart: boolean): void {
  let down = downAtStart;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    log('redis_unavailable', `redis: unavailable (${error.message}); storage requests answer 503 until it is back`);
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    log('redis_available', 'redis: available again');
  });
}

/**
 * In-memory storage (demo, one instance) or Redis (production, several stateless instances).
 * A Redis that does not answer at start is an outage, not a failure to start: the provider serves
 * 503 (and /readyz 503) until ioredis reconnects. A malformed URL or unusable TLS settings still reject.
 */
export async function createStorage(config: Pick<ProviderConfig, 'redisUrl' | 'redisTls' | 'clockToleranceSeconds'>): Promise<Storage> {
  if (!config.redisUrl) {
    return { store: new MemoryStateStore(), adapter: createMemoryAdapterFactory({ clockToleranceSeconds: config.clockToleranceSeconds }), backend: 'memory' };
  }
  // Swallows the error events until logOutages takes over (an EventEmitter without listener would throw them).
  const { client, unreachable } = await openRedisClient(config.redisUrl, { tls: config.redisTls, onError: () => {} });
  if (unreachable) log.error({ event: 'redis_unreachable_at_start' }, `redis: not reachable at start (${unreachable.message}); starting anyway: /readyz and storage requests answer 503 until it answers`);
  logOutages(client, (event, line) => (event === 'redis_available' ? log.info({ event }, line) : log.error({ event }, line)), unreachable !== undefined);
  return { store: new OwningRedisStateStore(client), adapter: createRedisAdapterFactory(client, { clockToleranceSeconds: config.clockToleranceSeconds }), backend: 'redis' };
}
