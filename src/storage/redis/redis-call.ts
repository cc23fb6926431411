import { ReplyError } from 'ioredis';
import { StorageUnavailableError } from '../storage-unavailable-error.js';

/**
 * Error replies with which a reachable Redis says "not now": retrying later (503 + Retry-After) is
 * right because the cause is Redis's state or its operator's to fix, never the request's.
 * Every other error reply (WRONGTYPE, syntax, NOSCRIPT handled by runScript…) is a bug: a 500.
 */
export const STORAGE_UNAVAILABLE_REPLIES = [
  'LOADING', // restarting: loading the dataset into memory
  'READONLY', // a replica (after a failover): writes must go to the new master
  'CLUSTERDOWN', // the cluster has uncovered slots or no quorum
  'MASTERDOWN', // a replica that lost its master refuses reads (replica-serve-stale-data no)
  'TRYAGAIN', // a multi-key command during slot migration
  'BUSY', // a long-running script blocks the server
  'OOM', // maxmemory reached with noeviction: the operator must free or add memory
  'MISCONF', // RDB snapshots failing (stop-writes-on-bgsave-error): the operator must fix the disk
  'NOREPLICAS', // min-replicas-to-write not met: the replicas are away
  'NOAUTH', // the server now requires a password the deployment lacks: the operator must align them
  'WRONGPASS', // the credentials were rotated in Redis: the operator must align them
  'NOPERM', // the ACL user lacks a command or key this provider uses (docs/storage.md lists them): an ACL setting
] as const;

const UNAVAILABLE_REPLY = new RegExp(`^(${STORAGE_UNAVAILABLE_REPLIES.join('|')})\\b`);

/** True for an error reply that means "storage unavailable", including a MULTI aborted by one (EXECABORT). */
export function isStorageUnavailableReply(error: Error): boolean {
  if (UNAVAILABLE_REPLY.test(error.message)) return true;
  // A command refused while queueing (e.g. OOM) aborts the whole MULTI; ioredis keeps the causes.
  const previous = (error as Error & { previousErrors?: unknown[] }).previousErrors ?? [];
  return /^EXECABORT\b/.test(error.message) && previous.some((cause) => UNAVAILABLE_REPLY.test(String((cause as { message?: unknown } | undefined)?.message)));
}

/**
 * Runs Redis commands and turns every connection-level failure (offline, closed, timed out, retries
 * exhausted) and every "storage unavailable" reply into a StorageUnavailableError. Other error replies
 * are programming errors and are rethrown unchanged. Keep non-Redis work (JSON parsing) outside:
 * any other error would count as Redis's.
 */
export async function callRedis<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof ReplyError && !isStorageUnavailableReply(error as Error)) throw error;
    throw new StorageUnavailableError(error);
  }
}
