import { Cluster, Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import { InvalidRedisUrlError, parseMultiHostRedisUrl } from './redis-url.js';
import { StorageUnavailableError } from './storage-unavailable-error.js';

export type RedisClient = Redis | Cluster;

export interface RedisClientOptions {
  /** How long connecting, one command, or closing may take before failing (default 2000 ms). */
  timeoutMs?: number;
  /** Receives connection errors (ioredis keeps reconnecting in the background). */
  onError?: (error: Error) => void;
}

function construct(url: string, timeoutMs: number): RedisClient {
  // Fail fast instead of queueing while Redis is down; ioredis still reconnects in the background.
  const failFast: RedisOptions = {
    enableOfflineQueue: false,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    disconnectTimeout: timeoutMs,
    maxRetriesPerRequest: 1,
    lazyConnect: true,
    // Commands issued in the same tick go out in one write: the provider issues many small ones.
    enableAutoPipelining: true,
  };
  if (/^rediss?:\/\//.test(url)) return new Redis(url, failFast);
  const parsed = parseMultiHostRedisUrl(url);
  if (!parsed) throw new InvalidRedisUrlError('the scheme must be redis, rediss, redis-sentinel or redis-cluster');
  const auth = { username: parsed.username, password: parsed.password };
  if (parsed.kind === 'sentinel') return new Redis({ ...failFast, ...auth, sentinels: parsed.hosts, name: parsed.masterName });
  return new Cluster(parsed.hosts, { enableOfflineQueue: false, lazyConnect: true, enableAutoPipelining: true, redisOptions: { ...failFast, ...auth } });
}

/**
 * Connects to Redis from one URL (forms in docs/storage.md) and resolves once it is ready.
 * Rejects with StorageUnavailableError if Redis does not answer within the timeout.
 */
export async function createRedisClient(url: string, options: RedisClientOptions = {}): Promise<RedisClient> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const client = construct(url, timeoutMs);
  if (options.onError) client.on('error', options.onError);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([client.connect(), timedOut]);
    return client;
  } catch (error) {
    client.disconnect();
    throw new StorageUnavailableError(error);
  } finally {
    clearTimeout(timer);
  }
}
