import type { RegistryDatabase } from './database.js';
import { migrations as allMigrations, type Migration } from './migrations.js';

/** Any fixed number: the advisory lock that keeps two starting instances from migrating at once. */
const MIGRATION_LOCK = 0x0c1e_0001;

/**
 * Applies the migrations not yet in `schema_migrations`, in order, in one transaction under an
 * advisory lock: two instances starting together wait for each other, and a failed step leaves the
 * schema as it was. Returns the versions applied now.
 */
export async function migrate(db: RegistryDatabase, migrations: readonly Migration[] = allMigrations): Promise<number[]> {
  return db.transaction(async (sql) => {
    await sql.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await sql.query('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const done = new Set((await sql.query<{ version: number }>('SELECT version FROM schema_migrations')).map((row) => Number(row.version)));
    const applied: number[] = [];
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(migration.version)) continue;
      for (const statement of migration.sql.split(/;\s*$/m).map((s) => s.trim()).filter(Boolean)) await sql.query(statement);
      await sql.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      applied.push(migration.version);
    }
    return applied;
  });
}
