import { Cluster, Redis } from 'ioredis';
import type { ClusterOptions, RedisOptions } from 'ioredis';
import type { ConnectionOptions } from 'node:tls';
import { InvalidRedisUrlError, isTlsRedisUrl, parseMultiHostRedisUrl } from './redis-url.js';
import { hasTlsFiles, loadTlsOptions, RedisTlsError, type RedisTlsFiles } from './redis-tls.js';
import { StorageUnavailableError } from '../storage-unavailable-error.js';
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

/** ioredis reads a malformed `redis://` URL loosely (a bad port or db becomes a default): refuse it instead. */
function checkSingleServerUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidRedisUrlError('expected redis[s]://[[user]:password@]host[:port][/db]');
  }
  if (!parsed.hostname) throw new InvalidRedisUrlError('the host is missing');
  if (!/^(\/\d*)?$/.test(parsed.pathname)) throw new InvalidRedisUrlError(`the path must be a db number, got "${parsed.pathname}"`);
}

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
  if (/^rediss?:\/\//.test(url)) {
    checkSingleServerUrl(url);
    return new Redis(url, { ...failFast, tls });
  }
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
 * Resolves with why the first connection failed, or undefined once Redis is ready. ioredis rejects
 * connect() with "Connection is closed."; its error events name the cause (ECONNREFUSED, WRONGPASS…),
 * so the last of those is the answer when there was one.
 */
async function firstConnection(client: RedisClient, timeoutMs: number): Promise<unknown> {
  let lastError: Error | undefined;
  const remember = (error: Error) => (lastError = error);
  client.on('error', remember);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<Error>((resolve) => {
    timer = setTimeout(() => resolve(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  const connected = client.connect().then(() => undefined, (error: unknown) => error ?? new Error('connection failed'));
  try {
    const failure = await Promise.race([connected, timedOut]);
    return failure === undefined ? undefined : (lastError ?? failure);
  } finally {
    clearTimeout(timer);
    client.off('error', remember);
  }
}

/** Validates the URL and the TLS files (throws before any connection), then builds the lazy client. */
async function prepare(url: string, options: RedisClientOptions): Promise<{ client: RedisClient; tls: ConnectionOptions | undefined; timeoutMs: number }> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const tls = await tlsOptionsFor(url, options.tls ?? {});
  const client = construct(url, timeoutMs, tls);
  if (options.onError) client.on('error', options.onError);
  return { client, tls, timeoutMs };
}

/**
 * Connects to Redis from one URL (forms in docs/storage.md) and resolves once it is ready.
 * Rejects with StorageUnavailableError if Redis does not answer within the timeout (its cause names
 * a refused TLS handshake), and with RedisTlsError or InvalidRedisUrlError, before connecting, if
 * the TLS files are unusable or given for a plain URL, or the URL is malformed.
 */
export async function createRedisClient(url: string, options: RedisClientOptions = {}): Promise<RedisClient> {
  const { client, tls, timeoutMs } = await prepare(url, options);
  const failure = await firstConnection(client, timeoutMs);
  if (failure === undefined) return client;
  client.disconnect();
  const handshakeFailure = tls && (await tlsHandshakeFailure(firstAddress(url), tls, timeoutMs));
  throw new StorageUnavailableError(handshakeFailure ?? failure);
}

export interface OpenedRedisClient {
  client: RedisClient;
  /** Why Redis did not answer at start; undefined if it did. The client keeps reconnecting either way. */
  unreachable: StorageUnavailableError | undefined;
}

// Socket errors that say "nobody answers there (yet)", as opposed to a TLS peer that refuses us.
const NETWORK_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/**
 * For the provider's start: like createRedisClient, but a Redis that does not answer yet is no
 * reason to stop. Resolves with the client (ioredis keeps reconnecting; until then every command
 * fails at once, as during any outage) and why it is unreachable. Configuration errors still reject:
 * InvalidRedisUrlError, RedisTlsError for unusable TLS files or a TLS handshake the server refuses.
 */
export async function openRedisClient(url: string, options: RedisClientOptions = {}): Promise<OpenedRedisClient> {
  const { client, tls, timeoutMs } = await prepare(url, options);
  const failure = await firstConnection(client, timeoutMs);
  if (failure === undefined) return { client, unreachable: undefined };
  const handshakeFailure = tls && (await tlsHandshakeFailure(firstAddress(url), tls, timeoutMs));
  const code = (handshakeFailure as NodeJS.ErrnoException | undefined)?.code;
  if (handshakeFailure && !(code && NETWORK_ERROR_CODES.has(code))) {
    client.disconnect();
    throw new RedisTlsError(`the TLS handshake with ${describe(firstAddress(url))} failed: ${handshakeFailure.message}`, { cause: handshakeFailure });
  }
  return { client, unreachable: new StorageUnavailableError(failure) };
}

function describe(address: { host: string; port: number }): string {
  return `${address.host}:${address.port}`;
}
