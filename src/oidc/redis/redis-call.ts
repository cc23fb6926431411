import { ReplyError } from 'ioredis';
import { StorageUnavailableError } from './storage-unavailable-error.js';

// Replies with which a reachable Redis says "not now" (loading, failover, cluster resharding).
const TRANSIENT_REPLY = /^(LOADING|READONLY|CLUSTERDOWN|MASTERDOWN|TRYAGAIN|BUSY)\b/;

/**
 * Runs Redis commands and turns every connection-level failure (offline, closed, timed out, retries
 * exhausted) into a StorageUnavailableError. Other error replies are programming errors and are
 * rethrown unchanged. Keep non-Redis work (JSON parsing) outside: any other error would count as Redis's.
 */
export async function callRedis<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof ReplyError && !TRANSIENT_REPLY.test((error as Error).message)) throw error;
    throw new StorageUnavailableError(error);
  }
}
