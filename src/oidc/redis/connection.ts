import { Cluster, Redis } from 'ioredis';
import type { ClusterOptions, RedisOptions } from 'ioredis';
import type { ConnectionOptions } from 'node:tls';
import { InvalidRedisUrlError, isTlsRedisUrl, parseMultiHostRedisUrl } from './redis-url.js';
import { hasTlsFiles, loadTlsOptions, RedisTlsError, type RedisTlsFiles } from './redis-tls.js';
import { StorageUnavailableError } from './storage-unavailable-error.js';
import { tlsHandshakeFailure } from './tls-handshake.js';

export type RedisClient = Redis | Cluster;

export interface RedisClientOptions {
  /** How long connecting, one command, or closing may take before failing (default 2000 ms). */
  timeoutMs?: number;
  /** Receives connection errors (ioredis keeps reconnecting in the background). */
  onError?: (error: Error) => void;
  /** CA bundle and client certificate for the TLS forms (rediss://, rediss-sentinel://, rediss-cluster://). */
  tls?: RedisTlsFiles;
}

// The certificate names the host as written in the URL: the cluster must connect to that name,
// not to the address ioredis would otherwise resolve it to first.
const keepHostName: ClusterOptions['dnsLookup'] = (hostname, callback) => callback(null, hostname);

function construct(url: string, timeoutMs: number, tls: ConnectionOptions | undefined): RedisClient {
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
  if (/^rediss?:\/\//.test(url)) return new Redis(url, { ...failFast, tls });
  const parsed = parseMultiHostRedisUrl(url);
  if (!parsed) throw new InvalidRedisUrlError('the scheme must be redis, rediss, redis-sentinel, rediss-sentinel, redis-cluster or rediss-cluster');
  const node: RedisOptions = { ...failFast, username: parsed.username, password: parsed.password, tls };
  if (parsed.kind === 'sentinel') {
    // sentinelTLS reaches the sentinels, enableTLSForSentinelMode the master they announce.
    const sentinelTls = tls && { sentinelTLS: tls, enableTLSForSentinelMode: true };
    return new Redis({ ...node, ...sentinelTls, sentinels: parsed.hosts, name: parsed.masterName });
  }
  // redisOptions.tls also reaches the nodes discovered through CLUSTER SLOTS.
  const dnsLookup = tls ? keepHostName : undefined;
  return new Cluster(parsed.hosts, { enableOfflineQueue: false, lazyConnect: true, enableAutoPipelining: true, dnsLookup, redisOptions: node });
}

/** `tls.connect` options for a TLS URL (no files: Node's public CAs); undefined for a plain one. */
async function tlsOptionsFor(url: string, files: RedisTlsFiles): Promise<ConnectionOptions | undefined> {
  if (isTlsRedisUrl(url)) return loadTlsOptions(files);
  if (hasTlsFiles(files)) {
    throw new RedisTlsError('a CA or client certificate file is set, but the Redis URL does not use TLS (rediss://, rediss-sentinel://, rediss-cluster://)');
  }
  return undefined;
}

/** The first server the URL names: where a failed TLS connection is diagnosed. */
function firstAddress(url: string): { host: string; port: number } {
  const parsed = parseMultiHostRedisUrl(url);
  if (parsed) return parsed.hosts[0]!;
  const { hostname, port } = new URL(url);
  return { host: hostname.replace(/^\[|\]$/g, '') || 'localhost', port: Number(port || 6379) };
}

/**
 * Connects to Redis from one URL (forms in docs/storage.md) and resolves once it is ready.
 * Rejects with StorageUnavailableError if Redis does not answer within the timeout (its cause names
 * a refused TLS handshake), and with RedisTlsError, before connecting, if the TLS files are unusable
 * or given for a plain URL.
 */
export async function createRedisClient(url: string, options: RedisClientOptions = {}): Promise<RedisClient> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const tls = await tlsOptionsFor(url, options.tls ?? {});
  const client = construct(url, timeoutMs, tls);
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
    const handshakeFailure = tls && (await tlsHandshakeFailure(firstAddress(url), tls, timeoutMs));
    throw new StorageUnavailableError(handshakeFailure ?? error);
  } finally {
    clearTimeout(timer);
  }
}
