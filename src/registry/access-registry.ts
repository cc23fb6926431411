import { appendIfHeadIs, appendRecords, chainedAfter, MAX_APPEND_BATCH, type ChainHead, type NewRecord } from './chain-writer.js';
import { measuredRegistryWrite } from '../observability/metrics.js';
import { writeCheckpoint, type StoredCheckpoint } from './checkpoints.js';
import type { Database, Sql } from '../storage/database/database.js';
import { migrate } from '../storage/database/migrate.js';
import { registryMigrations } from './migrations.js';
import { RegistryUnavailableError } from './registry-error.js';
import { DatabaseError } from '../storage/database/database-error.js';
import { asRegistryDatabase, registryErrorOf } from './registry-database.js';
import { purgeExpired, type PurgeResult } from './retention.js';
import type { RegistryKeys } from './registry-keys.js';
import { fromRow, RECORD_COLUMNS, type ChainedRecord, type RecordKind } from './registry-record.js';
import { seal, secretHash, subjectIndex, unseal } from './sealing.js';
import { verifyChain, type VerifyResult } from './verify-chain.js';

/** One sign-in, whatever the method (the card today; later methods record through the same call). */
export interface AuthenticationEntry {
  clientId: string;
  /** The citizen's account id; absent when the sign-in failed before anyone was identified. */
  accountId?: string;
  /** e.g. `cie-card`. */
  method: string;
  outcome: 'authenticated' | 'refused' | 'cancelled';
  /** The refusal's stable code (verifier, bridge). */
  errorCode?: string;
  acr?: string;
  amr?: string[];
  /** The authorization request as received: the RP's signed request object (sealed: it may name the citizen). */
  requestObject?: string;
  /** The request's parameters as the provider understood them (sealed). */
  requestParameters?: Record<string, unknown>;
  /** The citizen's attributes read from the credential (sealed). */
  attributes?: Record<string, unknown>;
  /** Serial number of the authentication certificate (sealed: it identifies the card). */
  certificateSerial?: string;
  /** The trust chain an RP registered through the federation was trusted by (anchor, expiry). */
  trustChain?: Record<string, unknown>;
}

/** The attributes the citizen agreed to release to an RP (the response to the authentication request). */
export interface ConsentEntry {
  clientId: string;
  accountId: string;
  grantId: string;
  scopes: string[];
  /** Released attributes, names → values (names in the clear, values sealed). */
  released: Record<string, unknown>;
  offlineAccess: boolean;
}

/** A token, userinfo or revocation exchange of a grant. Secrets are given already hashed (sealing.ts `secretHash`). */
export interface ExchangeEntry {
  exchange: 'token' | 'userinfo' | 'revocation';
  clientId?: string;
  accountId?: string;
  grantId?: string;
  status: number;
  error?: string;
  grantType?: string;
  /** Name → SHA-256 (base64url) of each token, code or assertion presented or issued. */
  hashes: Record<string, string>;
}

/** The citizen managing their access on "I tuoi accessi" (DM 8 settembre 2022 art. 13: kept as the accesses are). */
export interface ManagementEntry {
  accountId: string;
  action: 'account-sign-in' | 'withdraw-offline-access' | 'credentials-activated' | 'contact-confirmed' | 'password-changed' | 'credentials-withdrawn' | 'passkey-enrolled' | 'passkey-withdrawn' | 'contact-changed' | 'username-changed' | 'passkey-renamed' | 'app-device-default' | 'app-device-withdrawn';
  /** The RP whose offline access was withdrawn. */
  clientId?: string;
  certificateSerial?: string;
}

export interface ExtractionRequest {
  /** The named person who asks, with their office (court, supervisor) or `holder` for the citizen. */
  requester: string;
  legalBasis: string;
  criteria: { accountId?: string; clientId?: string; from?: Date; to?: Date };
}

/** A record with its personal data opened. */
export interface OpenedRecord {
  seq: number;
  recordedAt: string;
  kind: RecordKind;
  clientId: string | null;
  details: Record<string, unknown>;
  personal: Record<string, unknown> | null;
  hash: string;
}

export interface AccessRegistryOptions {
  clock?: () => Date;
  /** Largest number of records one listing or extraction returns. */
  maxRows?: number;
}

const DEFAULT_MAX_ROWS = 10_000;

/**
 * The access registry (DM 8 settembre 2022 art. 13; the CIE OIDC profile's log management rules):
 * every authentication, consent, exchange, extraction and purge as one hash-chained record in
 * PostgreSQL, personal data sealed, citizens indexed by a keyed hash. docs/registry.md.
 */
export class AccessRegistry {
  /** A promise: the embedded database takes seconds to open (WebAssembly, initdb) and the provider listens meanwhile. */
  readonly #db: Promise<Database>;
  readonly #keys: RegistryKeys;
  readonly #clock: () => Date;
  readonly #maxRows: number;
  #migrated: Promise<void> | undefined;
  readonly #queue: { record: NewRecord; resolve: (record: ChainedRecord) => void; reject: (error: unknown) => void }[] = [];
  #flushing = false;
  #opened = false;
  /** The head as this registry's last write left it; undefined until the first write, or after a failed one. */
  #head: ChainHead | undefined;

  constructor(db: Database | Promise<Database>, keys: RegistryKeys, options: AccessRegistryOptions = {}) {
    this.#db = Promise.resolve(db).then(asRegistryDatabase, (error: unknown) => Promise.reject(registryErrorOf(error)));
    // Observed here; every call that needs the database awaits it and meets its failure.
    this.#db.then(() => {
      this.#opened = true;
    }, () => {});
    this.#keys = keys;
    this.#clock = options.clock ?? (() => new Date());
    this.#maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  }

  /** Statements on the registry's database (tests, the bench), once it is open. */
  get database(): Sql {
    return { query: async (text, params) => (await this.#db).query(text, params) };
  }

  /**
   * Applies pending migrations once; a failure (database down at start) is forgotten, so the next
   * call tries again: the provider starts without its database and recovers when it comes back.
   */
  ready(): Promise<void> {
    this.#migrated ??= this.#db.then((db) => migrate(db, registryMigrations)).then(
      () => undefined,
      (error: unknown) => {
        this.#migrated = undefined;
        // The provider's role may not migrate: no record can be written until the owner does; an
        // outage (503, not ready), which ends without a restart once `cie-registry migrate` has run.
        throw error instanceof DatabaseError && error.code === 'database_schema_behind' ? new RegistryUnavailableError(error) : error;
      },
    );
    return this.#migrated;
  }

  /**
   * For /readyz: true once the database is open and migrated and answers a statement within
   * `limitMs`. While the embedded database is still opening it is false at once (a login could not
   * finish yet), never a wait; a database that cannot be opened or does not answer is false.
   */
  async available(limitMs = 1500): Promise<boolean> {
    if (!this.#opened) return false;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), limitMs);
      timer.unref();
    });
    const probe = (async () => {
      await this.ready();
      await (await this.#db).query('SELECT 1');
      return true;
    })().catch(() => false);
    try {
      return await Promise.race([probe, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  async recordAuthentication(entry: AuthenticationEntry): Promise<ChainedRecord> {
    const personal = {
      request_object: entry.requestObject ?? null,
      request_parameters: entry.requestParameters ?? null,
      attributes: entry.attributes ?? null,
      certificate_serial: entry.certificateSerial ?? null,
    };
    return this.#append({
      kind: 'authentication',
      clientId: entry.clientId,
      accountId: entry.accountId,
      details: {
        method: entry.method,
        outcome: entry.outcome,
        ...(entry.errorCode ? { error: entry.errorCode } : {}),
        ...(entry.acr ? { acr: entry.acr } : {}),
        ...(entry.amr ? { amr: entry.amr } : {}),
        ...(entry.requestObject ? { request_object_hash: secretHash(entry.requestObject) } : {}),
        ...(entry.trustChain ? { trust_chain: entry.trustChain } : {}),
      },
      personal,
    });
  }

  async recordConsent(entry: ConsentEntry): Promise<ChainedRecord> {
    return this.#append({
      kind: 'consent',
      clientId: entry.clientId,
      accountId: entry.accountId,
      grantId: entry.grantId,
      details: { scopes: entry.scopes, attributes: Object.keys(entry.released), offline_access: entry.offlineAccess },
      personal: { released: entry.released },
    });
  }

  async recordExchange(entry: ExchangeEntry): Promise<ChainedRecord> {
    return this.#append({
      kind: 'exchange',
      clientId: entry.clientId,
      accountId: entry.accountId,
      grantId: entry.grantId,
      details: { exchange: entry.exchange, status: entry.status, ...(entry.error ? { error: entry.error } : {}), ...(entry.grantType ? { grant_type: entry.grantType } : {}), hashes: entry.hashes },
    });
  }

  async recordManagement(entry: ManagementEntry): Promise<ChainedRecord> {
    return this.#append({
      kind: 'management',
      clientId: entry.clientId ?? null,
      accountId: entry.accountId,
      details: { action: entry.action },
      ...(entry.certificateSerial ? { personal: { certificate_serial: entry.certificateSerial } } : {}),
    });
  }

  /** A citizen's own records, newest first (the account page, the download). */
  async listForAccount(accountId: string, kinds: RecordKind[] = ['authentication', 'consent', 'exchange', 'management']): Promise<OpenedRecord[]> {
    await this.ready();
    const rows = await (await this.#db).query(`SELECT ${RECORD_COLUMNS} FROM registry_records WHERE subject_index = $1 AND kind = ANY($2) ORDER BY seq DESC LIMIT ${this.#maxRows}`, [subjectIndex(this.#keys, accountId), kinds]);
    return rows.map((row) => this.#open(fromRow(row)));
  }

  /** The citizen downloads their records: the download itself is recorded first (an extraction by the holder). */
  async exportForHolder(accountId: string): Promise<OpenedRecord[]> {
    return this.extract({ requester: 'holder', legalBasis: 'DM 8 settembre 2022 art. 13: request of the holder', criteria: { accountId } });
  }

  /**
   * An extraction (courts, supervisors, the holder): recorded in the chain before anything is read,
   * with who asked, on which legal basis and for what; an extraction that then fails stays recorded.
   */
  async extract(request: ExtractionRequest): Promise<OpenedRecord[]> {
    const { criteria } = request;
    const extraction = await this.#append({
      kind: 'extraction',
      clientId: criteria.clientId ?? null,
      accountId: criteria.accountId,
      details: {
        requester: request.requester,
        legal_basis: request.legalBasis,
        criteria: { by_citizen: criteria.accountId !== undefined, client_id: criteria.clientId ?? null, from: criteria.from?.toISOString() ?? null, to: criteria.to?.toISOString() ?? null },
      },
    });
    const where: string[] = ['seq < $1'];
    const params: unknown[] = [extraction.seq];
    if (criteria.accountId !== undefined) where.push(`subject_index = $${params.push(subjectIndex(this.#keys, criteria.accountId))}`);
    if (criteria.clientId !== undefined) where.push(`client_id = $${params.push(criteria.clientId)}`);
    if (criteria.from) where.push(`recorded_at >= $${params.push(criteria.from.toISOString())}`);
    if (criteria.to) where.push(`recorded_at <= $${params.push(criteria.to.toISOString())}`);
    const rows = await (await this.#db).query(`SELECT ${RECORD_COLUMNS} FROM registry_records WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ${this.#maxRows}`, params);
    return rows.map((row) => this.#open(fromRow(row)));
  }

  /** Signs the chain's head (nothing when the chain is empty or the head is already signed). */
  async checkpoint(): Promise<StoredCheckpoint | undefined> {
    await this.ready();
    return (await this.#db).transaction(async (sql) => {
      const [head] = await sql.query<{ seq: unknown; hash: string }>('SELECT seq, hash FROM registry_head WHERE id = 1');
      if (!head || Number(head.seq) === 0) return undefined;
      return writeCheckpoint(sql, this.#keys, 'periodic', Number(head.seq), head.hash, this.#clock());
    });
  }

  async purge(retentionMonths: number): Promise<PurgeResult> {
    await this.ready();
    return purgeExpired(await this.#db, this.#keys, this.#clock(), retentionMonths);
  }

  async verify(range: { from?: number; to?: number } = {}): Promise<VerifyResult> {
    await this.ready();
    return verifyChain(await this.#db, this.#keys, range);
  }

  close(): Promise<void> {
    return this.#db.then((db) => db.close(), () => undefined);
  }

  async #append(entry: { kind: RecordKind; clientId?: string | null; accountId?: string; grantId?: string; details: object; personal?: Record<string, unknown> }): Promise<ChainedRecord> {
    // Measured from the wait for the database on: a database that never opened, or is down since the
    // start, fails every write here, and the write-error alert must see it (operations.md).
    return measuredRegistryWrite(entry.kind, async () => {
      await this.ready();
      return this.#write(entry);
    });
  }

  async #write(entry: { kind: RecordKind; clientId?: string | null; accountId?: string; grantId?: string; details: object; personal?: Record<string, unknown> }): Promise<ChainedRecord> {
    const subject = entry.accountId === undefined ? null : subjectIndex(this.#keys, entry.accountId);
    const record: NewRecord = {
      kind: entry.kind,
      clientId: entry.clientId ?? null,
      subjectIndex: subject,
      grantRef: entry.grantId === undefined ? null : secretHash(entry.grantId),
      details: entry.details,
      sealed: entry.personal ? seal(this.#keys, entry.personal, associatedData(entry.kind, subject)) : null,
    };
    return new Promise<ChainedRecord>((resolve, reject) => {
      this.#queue.push({ record, resolve, reject });
      if (!this.#flushing) void this.#flush();
    });
  }

  /**
   * Group commit: the records that arrive while a transaction is in flight are written together in
   * the next one (one head lock, one INSERT, one head move), and each caller is answered once that
   * transaction has committed — so the durability rule holds record by record, and a failed
   * transaction fails every login it carried, none half-written. Concurrent logins share the cost.
   * Each batch waits for the event loop's next turn first: the embedded database runs a statement
   * synchronously in this thread, so nothing can arrive while it runs, and records that other
   * requests reach in the same turn (their I/O already read) would otherwise each pay a statement.
   */
  async #flush(): Promise<void> {
    this.#flushing = true;
    try {
      while (this.#queue.length > 0) {
        await new Promise((resolve) => setImmediate(resolve));
        const db = await this.#db;
        const batch = this.#queue.splice(0, MAX_APPEND_BATCH);
        try {
          const written = await this.#commitBatch(db, batch.map((item) => item.record));
          batch.forEach((item, index) => item.resolve(written[index]!));
        } catch (error) {
          this.#head = undefined;
          for (const item of batch) item.reject(error);
        }
      }
    } catch (error) {
      // The database never opened: every waiting write fails with its error.
      for (const item of this.#queue.splice(0)) item.reject(error);
    } finally {
      this.#flushing = false;
    }
  }

  /**
   * One batch, committed. On the embedded database (one process, locked: this registry is its only
   * writer but for the purge) with the head this registry last wrote: one statement that writes only
   * if the head is still there. Else — the first write, the purge moved the head, a failed batch, or
   * a PostgreSQL server (other instances write too, and a pooled connection lost while idle is
   * retried only at a transaction's BEGIN) — the transaction that locks and reads the head.
   */
  async #commitBatch(db: Database, entries: NewRecord[]): Promise<ChainedRecord[]> {
    const now = this.#clock();
    const known = db.kind === 'pglite' ? this.#head : undefined;
    let written: ChainedRecord[] | undefined;
    if (known) {
      const records = chainedAfter(known, entries, now);
      if (await appendIfHeadIs(db, known, records)) written = records;
    }
    written ??= await db.transaction((sql) => appendRecords(sql, entries, now));
    const last = written[written.length - 1];
    if (last) this.#head = { seq: last.seq, hash: last.hash };
    return written;
  }

  #open(record: ChainedRecord): OpenedRecord {
    return {
      seq: record.seq,
      recordedAt: record.recordedAt.toISOString(),
      kind: record.kind,
      clientId: record.clientId,
      details: JSON.parse(record.details) as Record<string, unknown>,
      personal: record.sealed && record.keyId ? unseal(this.#keys, record.sealed, record.keyId, associatedData(record.kind, record.subjectIndex)) : null,
      hash: record.hash,
    };
  }
}

function associatedData(kind: RecordKind, subject: string | null): string {
  return `${kind}|${subject ?? ''}`;
}
