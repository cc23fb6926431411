import type { Sql } from '../storage/database/database.js';
import { recordHash, type ChainedRecord, type RecordKind } from './registry-record.js';

export interface NewRecord {
  kind: RecordKind;
  clientId?: string | null;
  subjectIndex?: string | null;
  grantRef?: string | null;
  details: object;
  sealed?: { sealed: string; keyId: string } | null;
}

/**
 * Appends records, in order, inside the caller's transaction. `SELECT … FOR UPDATE` on the single
 * head row serialises every writer, in this process and in every other instance on the same
 * database, so the chain never forks: the second writer waits, then links to the first one's last
 * record. One INSERT of all the rows and one move of the head, whatever their number (a batch of
 * records that arrived together costs about what one did).
 */
export async function appendRecords(sql: Sql, entries: readonly NewRecord[], now: Date): Promise<ChainedRecord[]> {
  const [head] = await sql.query<{ seq: unknown; hash: string }>('SELECT seq, hash FROM registry_head WHERE id = 1 FOR UPDATE');
  if (!head) throw new Error('registry_head is missing: run `cie-registry migrate`');
  // Milliseconds only: what timestamptz and Date both keep exactly, so the hash survives the round trip.
  const recordedAt = new Date(Math.floor(now.getTime()));
  let seq = Number(head.seq);
  let prevHash = head.hash;
  const records = entries.map((entry) => {
    const unhashed = {
      seq: ++seq,
      recordedAt,
      kind: entry.kind,
      clientId: entry.clientId ?? null,
      subjectIndex: entry.subjectIndex ?? null,
      grantRef: entry.grantRef ?? null,
      details: JSON.stringify(entry.details),
      sealed: entry.sealed?.sealed ?? null,
      keyId: entry.sealed?.keyId ?? null,
      prevHash,
    };
    const record: ChainedRecord = { ...unhashed, hash: recordHash(unhashed) };
    prevHash = record.hash;
    return record;
  });
  if (records.length === 0) return records;
  const params: unknown[] = [];
  const rows = records.map((record) => {
    const first = params.length;
    params.push(record.seq, record.recordedAt.toISOString(), record.kind, record.clientId, record.subjectIndex, record.grantRef, record.details, record.sealed, record.keyId, record.prevHash, record.hash);
    return `(${Array.from({ length: 11 }, (_, index) => `$${first + index + 1}`).join(', ')})`;
  });
  const last = records[records.length - 1]!;
  const headSeq = `$${params.push(last.seq)}`;
  const headHash = `$${params.push(last.hash)}`;
  // The rows and the head's move in one statement (one round trip, one parse), in the same transaction.
  await sql.query(`WITH appended AS (INSERT INTO registry_records (seq, recorded_at, kind, client_id, subject_index, grant_ref, details, sealed, key_id, prev_hash, hash) VALUES ${rows.join(', ')} RETURNING 1) UPDATE registry_head SET seq = ${headSeq}, hash = ${headHash} WHERE id = 1`, params);
  return records;
}

/** One record (the purge's own). */
export async function appendRecord(sql: Sql, entry: NewRecord, now: Date): Promise<ChainedRecord> {
  return (await appendRecords(sql, [entry], now))[0]!;
}
