import { appendRecord } from './chain-writer.js';
import { writeCheckpoint } from './checkpoints.js';
import type { Database } from '../storage/database/database.js';
import type { RegistryKeys } from './registry-keys.js';

export interface PurgeResult {
  removed: number;
  /** The last removed record; the first kept one links to its hash, signed in a `purge` checkpoint. */
  cut?: number;
}

/** `now` minus `months` calendar months (UTC). */
export function retentionCutoff(now: Date, months: number): Date {
  const cutoff = new Date(now.getTime());
  cutoff.setUTCMonth(cutoff.getUTCMonth() - months);
  return cutoff;
}

/**
 * Removes every record up to the last one older than the retention period, in one transaction under
 * the chain's lock: first a signed `purge` checkpoint of the last removed record's hash (what the
 * first kept record links to, so `verify` can still start there), then the rows and the checkpoints
 * before the cut, then a `purge` record in the chain saying what was removed.
 */
export async function purgeExpired(db: Database, keys: RegistryKeys, now: Date, months: number): Promise<PurgeResult> {
  const cutoff = retentionCutoff(now, months);
  return db.transaction(async (sql) => {
    await sql.query('SELECT seq FROM registry_head WHERE id = 1 FOR UPDATE');
    const [cut] = await sql.query<{ seq: unknown; hash: string }>('SELECT seq, hash FROM registry_records WHERE recorded_at < $1 ORDER BY seq DESC LIMIT 1', [cutoff.toISOString()]);
    if (!cut) return { removed: 0 };
    const cutSeq = Number(cut.seq);
    await writeCheckpoint(sql, keys, 'purge', cutSeq, cut.hash, now);
    const [{ removed }] = (await sql.query<{ removed: unknown }>('WITH gone AS (DELETE FROM registry_records WHERE seq <= $1 RETURNING 1) SELECT count(*) AS removed FROM gone', [cutSeq])) as [{ removed: unknown }];
    await sql.query('DELETE FROM registry_checkpoints WHERE seq < $1', [cutSeq]);
    await appendRecord(sql, { kind: 'purge', details: { cut: cutSeq, removed: Number(removed), older_than: cutoff.toISOString(), retention_months: months } }, now);
    return { removed: Number(removed), cut: cutSeq };
  });
}
