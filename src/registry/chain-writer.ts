import type { Database, Sql } from '../storage/database/database.js';
import { recordHash, type ChainedRecord, type RecordKind } from './registry-record.js';

export interface NewRecord {
  kind: RecordKind;
  clientId?: string | null;
  subjectIndex?: string | null;
  grantRef?: string | null;
  details: object;
  sealed?: { sealed: string; keyId: string } | null;
}

/** The chain's last record: what the next one links to. */
export interface ChainHead {
  seq: number;
  hash: string;
}

const COLUMNS = 'seq, recorded_at, kind, client_id, subject_index, grant_ref, details, sealed, key_id, prev_hash, hash';
/** The columns' types, for parameters outside an INSERT's own VALUES (where PostgreSQL cannot infer them). */
const COLUMN_TYPES = ['bigint', 'timestamptz', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text', 'text'];

/** `entries` chained after `head`, in order, each hashed with its link (nothing is written). */
export function chainedAfter(head: ChainHead, entries: readonly NewRecord[], now: Date): ChainedRecord[] {
  // Milliseconds only: what timestamptz and Date both keep exactly, so the hash survives the round trip.
  const recordedAt = new Date(Math.floor(now.getTime()));
  let seq = head.seq;
  let prevHash = head.hash;
  return entries.map((entry) => {
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
}

/** The values of `records`, row after row, in COLUMNS' order (the sequence as text: a prepared statement's parameters are text). */
function valuesOf(records: readonly ChainedRecord[]): (string | null)[] {
  return records.flatMap((record) => [String(record.seq), record.recordedAt.toISOString(), record.kind, record.clientId, record.subjectIndex, record.grantRef, record.details, record.sealed, record.keyId, record.prevHash, record.hash]);
}

/** `($1, …), (…)` for `count` rows of COLUMNS (with `typed`, each parameter cast: outside an INSERT's own VALUES). */
function placeholders(count: number, typed = false): string {
  return Array.from({ length: count }, (_, row) => `(${COLUMN_TYPES.map((type, column) => `$${row * COLUMN_TYPES.length + column + 1}${typed ? `::${type}` : ''}`).join(', ')})`).join(', ');
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
  const records = chainedAfter({ seq: Number(head.seq), hash: head.hash }, entries, now);
  if (records.length === 0) return records;
  const params: unknown[] = valuesOf(records);
  const last = records[records.length - 1]!;
  const headSeq = `$${params.push(last.seq)}`;
  const headHash = `$${params.push(last.hash)}`;
  // The rows and the head's move in one statement (one round trip, one parse), in the same transaction.
  await sql.query(`WITH appended AS (INSERT INTO registry_records (${COLUMNS}) VALUES ${placeholders(records.length)} RETURNING 1) UPDATE registry_head SET seq = ${headSeq}, hash = ${headHash} WHERE id = 1`, params);
  return records;
}

/**
 * Appends `records` (chained after `head` by chainedAfter) in ONE autocommitted statement that moves
 * the head only if it is still `head`, and inserts the rows only if it moved it: true when written
 * (committed), false when another writer moved the head first (nothing written; chain again after
 * the real head, appendRecords). Never a fork: the head row is the single point every writer
 * changes, PostgreSQL re-checks the condition after waiting for a concurrent change of it, and the
 * statement is atomic. No BEGIN, head read or COMMIT: one statement instead of four, for a writer
 * that knows the head (its own last write, kept in memory). Its text depends only on the number of
 * records, so it is prepared once per batch size (`runPrepared`) and then only bound and executed.
 */
export async function appendIfHeadIs(db: Pick<Database, 'runPrepared'>, head: ChainHead, records: readonly ChainedRecord[]): Promise<boolean> {
  if (records.length === 0) return true;
  const params = valuesOf(records);
  const last = records[records.length - 1]!;
  params.push(String(last.seq), last.hash, String(head.seq), head.hash);
  return (await db.runPrepared(appendIfHeadIsText(records.length), params)) === records.length;
}

const appendIfHeadIsTexts = new Map<number, string>();
/** Most records in one append (one bounded statement): the access registry's batches are no larger, so each size's text is kept. */
export const MAX_APPEND_BATCH = 64;

/** The statement of appendIfHeadIs for `count` records: the same text each time (prepared once), built once. */
function appendIfHeadIsText(count: number): string {
  let text = appendIfHeadIsTexts.get(count);
  if (text === undefined) {
    const [newSeq, newHash, oldSeq, oldHash] = [1, 2, 3, 4].map((index) => `$${count * COLUMN_TYPES.length + index}`);
    text =
      `WITH moved AS (UPDATE registry_head SET seq = ${newSeq}::bigint, hash = ${newHash}::text WHERE id = 1 AND seq = ${oldSeq}::bigint AND hash = ${oldHash}::text RETURNING 1) ` +
      `INSERT INTO registry_records (${COLUMNS}) SELECT row.* FROM moved, (VALUES ${placeholders(count, true)}) AS row(${COLUMNS})`;
    if (count <= MAX_APPEND_BATCH) appendIfHeadIsTexts.set(count, text);
  }
  return text;
}

/** One record (the purge's own). */
export async function appendRecord(sql: Sql, entry: NewRecord, now: Date): Promise<ChainedRecord> {
  return (await appendRecords(sql, [entry], now))[0]!;
}
