import { createHash } from 'node:crypto';

/** What happened: a sign-in, a consent, a token/userinfo/revocation exchange, an extraction, a purge, the citizen managing their access. */
export type RecordKind = 'authentication' | 'consent' | 'exchange' | 'extraction' | 'purge' | 'management';

/** One row of `registry_records`, as chained. */
export interface ChainedRecord {
  seq: number;
  recordedAt: Date;
  kind: RecordKind;
  clientId: string | null;
  /** HMAC of the citizen's account id (sealing.ts `subjectIndex`), null when no citizen is named. */
  subjectIndex: string | null;
  /** SHA-256 of the grant id: links a consent to its token, userinfo and revocation exchanges. */
  grantRef: string | null;
  /** JSON of what is not personal (outcome, level, method, attribute names, hashes of secrets). */
  details: string;
  /** The personal data, AES-256-GCM (sealing.ts), and the id of the key that sealed it. */
  sealed: string | null;
  keyId: string | null;
  prevHash: string;
  hash: string;
}

/**
 * SHA-256 over every column but `hash`, in a fixed order: changing any of them, or the link to the
 * previous record, changes the hash. The sealed text is hashed as stored, so verification needs no key.
 */
export function recordHash(record: Omit<ChainedRecord, 'hash'>): string {
  const fields = [record.seq, record.recordedAt.toISOString(), record.kind, record.clientId, record.subjectIndex, record.grantRef, record.details, record.sealed, record.keyId, record.prevHash];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex');
}

/** A database row (either driver) as a ChainedRecord. */
export function fromRow(row: Record<string, unknown>): ChainedRecord {
  const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
  return {
    seq: Number(row.seq),
    recordedAt: row.recorded_at instanceof Date ? row.recorded_at : new Date(String(row.recorded_at)),
    kind: String(row.kind) as RecordKind,
    clientId: text(row.client_id),
    subjectIndex: text(row.subject_index),
    grantRef: text(row.grant_ref),
    details: String(row.details),
    sealed: text(row.sealed),
    keyId: text(row.key_id),
    prevHash: String(row.prev_hash),
    hash: String(row.hash),
  };
}

export const RECORD_COLUMNS = 'seq, recorded_at, kind, client_id, subject_index, grant_ref, details, sealed, key_id, prev_hash, hash';
