import type { Redis } from 'ioredis';

/** Redis's own counters: commands run and their time (INFO commandstats, without INFO itself) and socket reads. */
export interface RedisCounters {
  commands: number;
  /** Microseconds Redis spent running those commands. */
  commandMicros: number;
  /** `total_reads_processed`: one per batch of commands a client sent (≈ round trips). */
  reads: number;
}

/** One INFO (one read, not counted in `commands`). */
export async function redisCounters(redis: Redis): Promise<RedisCounters> {
  const info = (await redis.call('INFO', 'stats', 'commandstats')) as string;
  let commands = 0;
  let commandMicros = 0;
  for (const [, name, calls, usec] of info.matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm)) {
    if (name === 'info') continue;
    commands += Number(calls);
    commandMicros += Number(usec);
  }
  return { commands, commandMicros, reads: Number(/^total_reads_processed:(\d+)/m.exec(info)?.[1] ?? 0) };
}

/** `after` − `before`, the INFO read between them not counted. */
export function countersBetween(before: RedisCounters, after: RedisCounters): RedisCounters {
  return { commands: after.commands - before.commands, commandMicros: after.commandMicros - before.commandMicros, reads: after.reads - before.reads - 1 };
}
