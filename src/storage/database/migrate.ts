import type { Database, Sql } from './database.js';
import { DatabaseError } from './database-error.js';
import type { MigrationSet } from './migration-set.js';

/** Any fixed number (the one the registry's runner always took): two starting instances never migrate at once. */
const MIGRATION_LOCK = 0x0c1e_0001;

/** Before sets existed, `schema_migrations` had no owner column and held the registry's steps only. */
const LEGACY_OWNER = 'registry';

/** SQLSTATE 42501 insufficient_privilege. */
const NOT_ALLOWED = '42501';

export interface MigrateOptions {
  /** A role (the service's, least privilege) given the set's `grants` after the steps; PostgreSQL only. */
  grantTo?: string;
}

/** Versions of `set` already applied; read without locks or DDL, so a least-privilege role can ask. */
export async function appliedVersions(sql: Sql, owner: string): Promise<Set<number>> {
  const columns = await sql.query<{ column_name: string }>("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'schema_migrations'");
  if (columns.length === 0) return new Set();
  const legacy = !columns.some((column) => column.column_name === 'owner');
  if (legacy && owner !== LEGACY_OWNER) return new Set();
  const rows = legacy ? await sql.query<{ version: unknown }>('SELECT version FROM schema_migrations') : await sql.query<{ version: unknown }>('SELECT version FROM schema_migrations WHERE owner = $1', [owner]);
  return new Set(rows.map((row) => Number(row.version)));
}

/** The steps of `set` not applied yet, in order. */
export async function pendingMigrations(sql: Sql, set: MigrationSet): Promise<number[]> {
  const done = await appliedVersions(sql, set.owner);
  return set.steps.map((step) => step.version).filter((version) => !done.has(version)).sort((a, b) => a - b);
}

/**
 * Applies the steps of `set` not yet in `schema_migrations`, in order, in one transaction under an
 * advisory lock: two instances starting together wait for each other, and a failed step leaves the
 * schema as it was. Nothing pending: no lock and no DDL (a least-privilege role may call it). A role
 * that may not apply pending steps gets `database_schema_behind`, naming the set's command.
 * Returns the versions applied now.
 */
export async function migrate(db: Database, set: MigrationSet, options: MigrateOptions = {}): Promise<number[]> {
  const pending = await pendingMigrations(db, set);
  if (pending.length === 0 && !options.grantTo) return [];
  try {
    return await db.transaction(async (sql) => {
      await sql.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await trackingTable(sql);
      const done = await appliedVersions(sql, set.owner);
      const applied: number[] = [];
      for (const step of [...set.steps].sort((a, b) => a.version - b.version)) {
        if (done.has(step.version)) continue;
        for (const statement of step.sql.split(/;\s*$/m).map((s) => s.trim()).filter(Boolean)) await sql.query(statement);
        await sql.query('INSERT INTO schema_migrations (owner, version, name) VALUES ($1, $2, $3)', [set.owner, step.version, step.name]);
        applied.push(step.version);
      }
      if (options.grantTo) await grant(sql, set, options.grantTo);
      return applied;
    });
  } catch (error) {
    if ((error as { code?: unknown }).code !== NOT_ALLOWED) throw error;
    const done = await appliedVersions(db, set.owner).catch(() => new Set<number>());
    const at = Math.max(0, ...done);
    const wanted = Math.max(0, ...set.steps.map((step) => step.version));
    throw new DatabaseError(
      'database_schema_behind',
      `the "${set.owner}" schema is at version ${at}, this program needs ${wanted}, and the role connected may not migrate it: run \`${set.command}\` with DATABASE_OWNER_URL (the owner's role) first`,
      { owner: set.owner, at, wanted },
      { cause: error },
    );
  }
}

/** `schema_migrations` keyed by (owner, version); a table from before the sets becomes the registry's rows. */
async function trackingTable(sql: Sql): Promise<void> {
  const columns = await sql.query<{ column_name: string }>("SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'schema_migrations'");
  if (columns.length === 0) {
    await sql.query('CREATE TABLE schema_migrations (owner text NOT NULL, version integer NOT NULL, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (owner, version))');
    return;
  }
  if (columns.some((column) => column.column_name === 'owner')) return;
  await sql.query(`ALTER TABLE schema_migrations ADD COLUMN owner text NOT NULL DEFAULT '${LEGACY_OWNER}'`);
  await sql.query('ALTER TABLE schema_migrations ALTER COLUMN owner DROP DEFAULT');
  await sql.query('ALTER TABLE schema_migrations DROP CONSTRAINT schema_migrations_pkey');
  await sql.query('ALTER TABLE schema_migrations ADD PRIMARY KEY (owner, version)');
}

/** The set's grants, and reading its versions, to `role` (a quoted identifier: any role name works, none injects). */
async function grant(sql: Sql, set: MigrationSet, role: string): Promise<void> {
  const grantee = `"${role.replaceAll('"', '""')}"`;
  await sql.query(`GRANT SELECT ON schema_migrations TO ${grantee}`);
  for (const { table, privileges } of set.grants ?? []) {
    if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new Error(`migration set ${set.owner}: bad table name ${table}`);
    await sql.query(`GRANT ${privileges.join(', ')} ON ${table} TO ${grantee}`);
  }
}
