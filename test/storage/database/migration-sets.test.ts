import type { Database } from '../../../src/storage/database/database.js';
import { migrate, pendingMigrations } from '../../../src/storage/database/migrate.js';
import type { MigrationSet } from '../../../src/storage/database/migration-set.js';
import { openTestPglite } from '../../support/pglite-template.js';
import { openPostgres } from '../../../src/storage/database/postgres-database.js';
import { registryMigrations } from '../../../src/registry/migrations.js';
import { startPostgres, type PostgresHandle } from '../../support/postgres-server.js';

const credentials: MigrationSet = {
  owner: 'credentials',
  steps: [{ version: 1, name: 'accounts', sql: 'CREATE TABLE credential_accounts (id text PRIMARY KEY);' }],
  command: 'cie-credentials migrate',
};

/** The registry's set with one more step, as a later release would ship it. */
const registryNext: MigrationSet = {
  ...registryMigrations,
  steps: [...registryMigrations.steps, { version: 2, name: 'a later step', sql: 'CREATE TABLE registry_later (id integer);' }],
};

async function tracked(db: Database): Promise<string[]> {
  return (await db.query<{ owner: string; version: unknown }>('SELECT owner, version FROM schema_migrations ORDER BY owner, version')).map((row) => `${row.owner}:${Number(row.version)}`);
}

describe.each([['postgres'], ['pglite']] as const)('migration sets on %s', (name) => {
  let server: PostgresHandle | undefined;
  let db: Database;

  beforeEach(async () => {
    if (name === 'postgres') {
      server ??= await startPostgres();
      db = openPostgres(server.url);
      await db.query('DROP SCHEMA public CASCADE');
      await db.query('CREATE SCHEMA public');
    } else {
      db = await openTestPglite();
    }
  }, 120_000);

  afterEach(async () => {
    await db.close();
  });

  afterAll(async () => {
    await server?.stop();
  }, 60_000);

  test('each owner has its own versions: sets migrate without knowing each other', async () => {
    expect(await migrate(db, credentials)).toEqual([1]);
    expect(await migrate(db, registryMigrations)).toEqual([1]);
    expect(await migrate(db, registryNext)).toEqual([2]);
    expect(await migrate(db, credentials)).toEqual([]);
    expect(await tracked(db)).toEqual(['credentials:1', 'registry:1', 'registry:2']);
    expect(await pendingMigrations(db, registryNext)).toEqual([]);
  });

  test('a registry deployed before the sets (schema_migrations without owner) keeps its history and still migrates', async () => {
    // What the runner of session 7 left: version 1 applied, the table keyed by version alone.
    await db.transaction(async (sql) => {
      await sql.query('CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
      for (const statement of registryMigrations.steps[0]!.sql.split(/;\s*$/m).map((s) => s.trim()).filter(Boolean)) await sql.query(statement);
      await sql.query('INSERT INTO schema_migrations (version, name) VALUES (1, $1)', [registryMigrations.steps[0]!.name]);
    });
    expect(await pendingMigrations(db, registryMigrations)).toEqual([]);
    expect(await pendingMigrations(db, credentials)).toEqual([1]);
    expect(await migrate(db, registryMigrations)).toEqual([]);
    expect(await migrate(db, registryNext)).toEqual([2]);
    // The same version number in another set no longer collides.
    expect(await migrate(db, credentials)).toEqual([1]);
    expect(await tracked(db)).toEqual(['credentials:1', 'registry:1', 'registry:2']);
  });
});
