import type { AdapterFactory } from 'oidc-provider';
import { memoryStorageSize } from '../../src/storage/adapters/memory-adapter.js';
import { Cluster } from 'ioredis';
import type { RedisClient } from '../../src/storage/redis/connection.js';
import { scanKeys } from './redis-server.js';

/** What the store holds: keys (Redis) or entries, pointers and records (memory), and their bytes. */
export interface StoredFootprint {
  keys: number;
  bytes: number;
}

/**
 * Keys under `prefix` on every master and what Redis says they occupy (MEMORY USAGE, bytes), but
 * `exceptModel`'s entries (e.g. ReplayDetection: one per client assertion, whatever the grant).
 */
export async function redisFootprint(client: RedisClient, prefix: string, exceptModel?: string): Promise<StoredFootprint> {
  // Per node: MEMORY USAGE names its key after a subcommand, so a Cluster client cannot route it.
  const nodes = client instanceof Cluster ? client.nodes('master') : [client];
  const footprint = { keys: 0, bytes: 0 };
  for (const node of nodes) {
    const keys = (await scanKeys(node, `${prefix}*`)).filter((key) => !exceptModel || !key.startsWith(`${prefix}${exceptModel}:`));
    const usages = await Promise.all(keys.map((key) => node.memory('USAGE', key)));
    footprint.keys += keys.length;
    footprint.bytes += usages.reduce<number>((sum, usage) => sum + (usage ?? 0), 0);
  }
  return footprint;
}

/** A memory adapter factory's entries (but `exceptModel`'s), index pointers and spent-token records, and their JSON bytes. */
export async function memoryFootprint(factory: AdapterFactory, exceptModel?: string): Promise<StoredFootprint> {
  const size = memoryStorageSize(factory, exceptModel);
  return { keys: size.entries + size.pointers + size.spentRecords, bytes: size.jsonBytes };
}
