import { createHash } from 'node:crypto';
import type { RedisClient } from './connection.js';

type ScriptArg = string | number;

const digests = new Map<string, string>();

function digestOf(lua: string): string {
  let digest = digests.get(lua);
  if (!digest) {
    digest = createHash('sha1').update(lua).digest('hex');
    digests.set(lua, digest);
  }
  return digest;
}

/**
 * Runs a Lua script with EVAL's arguments, but sends it by its SHA1 (EVALSHA) and its text only
 * when a server does not have it yet (after a restart, or on a Cluster node it has not run on).
 * Nearly every Redis call of the provider is a script, and sending the text each time was 7.5 % of
 * the provider's busy time in the login and refresh profiles (docs/benchmarks.md). Not ioredis's
 * `defineCommand`: its NOSCRIPT retry breaks under auto-pipelining (ioredis 5, "results[i] is not
 * iterable"), which this provider relies on.
 */
export async function runScript(redis: RedisClient, lua: string, numberOfKeys: number, ...args: ScriptArg[]): Promise<unknown> {
  try {
    return await redis.evalsha(digestOf(lua), numberOfKeys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return redis.eval(lua, numberOfKeys, ...args);
  }
}
