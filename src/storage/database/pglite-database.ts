import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import lockfile from 'proper-lockfile';
import { loggerFor } from '../../shared/logger.js';
import type { Database, Sql } from './database.js';
import { DatabaseError } from './database-error.js';
import { initdbOutOfProcess } from './pglite-initdb.js';
import { pglitePrepared } from './pglite-prepared.js';

const log = loggerFor('database');

/**
 * PGlite's start parameters, and a buffer pool of 16 MB instead of PostgreSQL's 128 MB: the pool
 * lives in the provider's own memory (the WebAssembly heap) and is touched at start, ~130 MiB of
 * resident memory for an append-mostly registry whose files the system's page cache keeps anyway
 * (docs/registry.md, "Memory").
 */
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

/**
 * PostgreSQL compiled to WebAssembly, in this process (`@electric-sql/pglite`): the same SQL as the
 * server, nothing to install. `dir` undefined: in memory (tests). A directory can be opened by one
 * process only (PGlite has no shared-memory locking), so it is locked with a lock file: the provider
 * and `cie-registry` on the same directory refuse each other (`database_locked`) instead of corrupting it.
 */
export async function openPglite(dir?: string): Promise<Database> {
  let unlock: (() => Promise<void>) | undefined;
  if (dir) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    try {
      // A lock file removed under us (its directory deleted, a hand-made cleanup) is an operator's problem to see
      // in the log, not a reason for the library's default to throw out of a timer and end the process.
      const onCompromised = (error: Error) => log.error({ event: 'database_lock_lost', error }, `the embedded database's lock file ${dir}.lock was removed: ${error.message}`);
      unlock = await lockfile.lock(dir, { lockfilePath: `${dir}.lock`, stale: 30_000, update: 10_000, onCompromised });
    } catch (error) {
      throw new DatabaseError('database_locked', `the embedded database in ${dir} is open in another process (stop it, or set DATABASE_URL to share a PostgreSQL server)`, {}, { cause: error });
    }
  }
  if (dir) await initdbOutOfProcess(dir);
  return asDatabase(await PGlite.create(dir, { startParams: START_PARAMS }), unlock);
}

/**
 * An in-memory database started from a cluster dumped before (`dumpDataDir`) instead of an initdb
 * (seconds of CPU each). For tests only (one template per test run, docs/testing.md): openDatabase,
 * the production path, never calls it, so a deployed provider never starts from a file it did not create.
 */
export async function openPgliteFromDump(dump: Blob): Promise<Database> {
  return asDatabase(await PGlite.create({ loadDataDir: dump, startParams: START_PARAMS }));
}

function asDatabase(db: PGlite, unlock?: () => Promise<void>): Database {
  const sql = (runner: Pick<PGlite, 'query'>): Sql => ({
    query: async <Row extends object>(text: string, params?: unknown[]) => (await runner.query<Row>(text, params)).rows,
  });
  return {
    kind: 'pglite',
    ...sql(db),
    runPrepared: pglitePrepared(db),
    transaction: (work) => db.transaction((tx) => work(sql(tx))),
    // Idempotent: the rooms sharing one database (registry, credentials) may each close it at shutdown.
    async close() {
      if (db.closed) return;
      await db.close();
      await unlock?.().catch(() => undefined);
    },
  };
}
