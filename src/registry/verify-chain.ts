import { checkpointFromRow, verifiedCheckpoint, type StoredCheckpoint } from './checkpoints.js';
import type { Sql } from '../storage/database/database.js';
import { GENESIS_HASH } from './migrations.js';
import type { RegistryKeys } from './registry-keys.js';
import { fromRow, RECORD_COLUMNS, recordHash } from './registry-record.js';

/**
 * Why a record is the first broken one:
 * - `content_altered`: its columns no longer give its hash;
 * - `link_broken`: it does not link to the record before it (that one was altered and re-hashed, or replaced);
 * - `missing`: the sequence has a hole (a record was deleted), or records after the last one are gone
 *   although a checkpoint signed them (the end cut off, the head rewound);
 * - `checkpoint_mismatch`: a signed checkpoint names another hash for it (the chain was rewritten from
 *   some record after the previous checkpoint up to here);
 * - `checkpoint_invalid`: a checkpoint stored for it does not verify with the registry's keys;
 * - `anchor_unproven`: the first kept record after a purge has no valid purge checkpoint to link to.
 */
export type BreakReason = 'content_altered' | 'link_broken' | 'missing' | 'checkpoint_mismatch' | 'checkpoint_invalid' | 'anchor_unproven';

export interface VerifyResult {
  ok: boolean;
  from: number;
  to: number;
  records: number;
  checkpoints: number;
  firstBroken?: { seq: number; reason: BreakReason };
}

const BATCH = 1000;

/**
 * Proves records `from`…`to` (default: all that are kept) intact: each one's hash, each link, no hole,
 * every checkpoint in the range signed by a registry key and agreeing with the record it names, and the
 * range's anchor — the genesis hash, the purge checkpoint the first kept record links to, or the
 * record before `from`, itself re-hashed. Stops at the first broken record.
 */
export async function verifyChain(sql: Sql, keys: RegistryKeys, range: { from?: number; to?: number } = {}): Promise<VerifyResult> {
  const [bounds] = await sql.query<{ first: unknown; last: unknown }>('SELECT min(seq) AS first, max(seq) AS last FROM registry_records');
  if (bounds?.first === null || bounds?.first === undefined) return { ok: true, from: 0, to: 0, records: 0, checkpoints: 0 };
  const first = Number(bounds.first);
  const last = Number(bounds.last);
  const from = Math.max(range.from ?? first, first);
  const to = Math.min(range.to ?? last, last);
  const result: VerifyResult = { ok: true, from, to, records: 0, checkpoints: 0 };
  const broken = (seq: number, reason: BreakReason): VerifyResult => ({ ...result, ok: false, firstBroken: { seq, reason } });
  if (from > to) return result;

  // The hash the record at `from` must link to.
  let previous: string;
  if (from === first && first === 1) {
    previous = GENESIS_HASH;
  } else if (from === first) {
    const rows = await sql.query('SELECT seq, kind, hash, jws FROM registry_checkpoints WHERE kind = $1 AND seq = $2', ['purge', first - 1]);
    const anchor = rows[0] && (await verifiedCheckpoint(keys, checkpointFromRow(rows[0])));
    if (!anchor) return broken(first, 'anchor_unproven');
    previous = anchor.hash;
  } else {
    const [row] = await sql.query(`SELECT ${RECORD_COLUMNS} FROM registry_records WHERE seq = $1`, [from - 1]);
    if (!row) return broken(from - 1, 'missing');
    const before = fromRow(row);
    previous = recordHash(before);
    if (previous !== before.hash) return broken(before.seq, 'content_altered');
  }

  const checkpoints = new Map<number, StoredCheckpoint[]>();
  for (const row of await sql.query('SELECT seq, kind, hash, jws FROM registry_checkpoints WHERE seq >= $1 AND seq <= $2', [from, to])) {
    const checkpoint = checkpointFromRow(row);
    checkpoints.set(checkpoint.seq, [...(checkpoints.get(checkpoint.seq) ?? []), checkpoint]);
  }

  let expected = from;
  while (expected <= to) {
    const rows = await sql.query(`SELECT ${RECORD_COLUMNS} FROM registry_records WHERE seq >= $1 AND seq <= $2 ORDER BY seq LIMIT ${BATCH}`, [expected, to]);
    if (rows.length === 0) return broken(expected, 'missing');
    for (const row of rows) {
      const record = fromRow(row);
      if (record.seq !== expected) return broken(expected, 'missing');
      if (record.prevHash !== previous) return broken(record.seq, 'link_broken');
      const hash = recordHash(record);
      if (hash !== record.hash) return broken(record.seq, 'content_altered');
      for (const checkpoint of checkpoints.get(record.seq) ?? []) {
        const claims = await verifiedCheckpoint(keys, checkpoint);
        if (!claims) return broken(record.seq, 'checkpoint_invalid');
        if (claims.hash !== hash) return broken(record.seq, 'checkpoint_mismatch');
        result.checkpoints += 1;
      }
      previous = hash;
      expected += 1;
      result.records += 1;
    }
  }
  // Up to the head: a last record deleted (without also rewinding the head) is a hole too.
  if (range.to === undefined || range.to >= last) {
    const [head] = await sql.query<{ seq: unknown; hash: string }>('SELECT seq, hash FROM registry_head WHERE id = 1');
    if (head && Number(head.seq) > last) return broken(last + 1, 'missing');
    if (head && Number(head.seq) === last && head.hash !== previous) return broken(last, 'link_broken');
    // Records cut from the end with the head rewound to match: a checkpoint signed them, so they existed.
    const [beyond] = await sql.query<{ seq: unknown }>('SELECT min(seq) AS seq FROM registry_checkpoints WHERE seq > $1', [last]);
    if (beyond?.seq !== null && beyond?.seq !== undefined) return broken(last + 1, 'missing');
  }
  return result;
}
