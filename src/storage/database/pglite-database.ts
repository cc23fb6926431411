import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import lockfile from 'proper-lockfile';
import type { Database, Sql } from './database.js';
import { DatabaseError } from './database-error.js';

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
      unlock = await lockfile.lock(dir, { lockfilePath: `${dir}.lock`, stale: 30_000, update: 10_000 });
    } catch (error) {
      throw new DatabaseError('database_locked', `the embedded database in ${dir} is open in another process (stop it, or set DATABASE_URL to share a PostgreSQL server)`, {}, { cause: error });
    }
  }
  const db = await PGlite.create(dir);
  const sql = (runner: Pick<PGlite, 'query'>): Sql => ({
    query: async <Row extends object>(text: string, params?: unknown[]) => (await runner.query<Row>(text, params)).rows,
  });
  return {
    kind: 'pglite',
    ...sql(db),
    transaction: (work) => db.transaction((tx) => work(sql(tx))),
    async close() {
      await db.close();
      await unlock?.();
    },
  };
}
