import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { credentialsMigrations } from '../../../src/credentials/credentials-migrations.js';
import { registryMigrations } from '../../../src/registry/migrations.js';
import type { Database } from '../../../src/storage/database/database.js';
import { migrate } from '../../../src/storage/database/migrate.js';
import { openDatabase } from '../../../src/storage/database/open-database.js';
import { openPglite } from '../../../src/storage/database/pglite-database.js';
import { projectRoot } from '../../../src/shared/project-root.js';
import { openTestPglite, seedEmbeddedDatabase } from '../../support/pglite-template.js';

// Tests start their embedded databases from one template cluster instead of an initdb each
// (test/support/pglite-template.ts): such a database must be the one a fresh start gives.

/** What initdb and the migrations decide: encoding and collation, tables, columns, indexes, constraints, applied steps. */
async function schemaOf(db: Database): Promise<unknown> {
  return {
    database: await db.query("SELECT pg_encoding_to_char(encoding) AS encoding, datcollate, datctype FROM pg_database WHERE datname = current_database()"),
    columns: await db.query("SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name"),
    indexes: await db.query("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY tablename, indexname"),
    constraints: await db.query("SELECT conrelid::regclass::text AS on_table, conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2"),
    migrations: await db.query('SELECT owner, version, name FROM schema_migrations ORDER BY owner, version'),
  };
}

async function migrated(db: Database): Promise<Database> {
  await migrate(db, registryMigrations);
  await migrate(db, credentialsMigrations);
  return db;
}

async function systemIdentifier(db: Database): Promise<string> {
  const [row] = await db.query<{ id: string }>('SELECT system_identifier::text AS id FROM pg_control_system()');
  return row!.id;
}

let parent: string;
beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), 'cie-pglite-template-test-'));
});
afterAll(async () => {
  await rm(parent, { recursive: true, force: true });
});

test('a database started from the template, in memory or in a seeded directory, is a fresh one: same schema after the migrations', async () => {
  const fresh = await migrated(await openPglite());
  const fromDump = await migrated(await openTestPglite());
  const seededDir = join(parent, 'seeded');
  await seedEmbeddedDatabase(seededDir);
  // The production path: it finds a cluster in the directory and opens it as after its own first start.
  const seeded = await migrated(await openDatabase({ dir: seededDir }));
  try {
    const expected = await schemaOf(fresh);
    expect((expected as { columns: unknown[] }).columns.length).toBeGreaterThan(0);
    expect(await schemaOf(fromDump)).toEqual(expected);
    expect(await schemaOf(seeded)).toEqual(expected);
    // Both copies of one cluster (no initdb of their own), yet each its own database.
    expect(await systemIdentifier(seeded)).toBe(await systemIdentifier(fromDump));
    expect(await systemIdentifier(fresh)).not.toBe(await systemIdentifier(fromDump));
  } finally {
    await Promise.all([fresh.close(), fromDump.close(), seeded.close()]);
  }
}, 300_000);

test('two databases from the template share nothing', async () => {
  const [first, second] = await Promise.all([openTestPglite(), openTestPglite()]);
  try {
    await first.query('CREATE TABLE only_here (value text)');
    await first.query("INSERT INTO only_here VALUES ('first')");
    expect(await second.query("SELECT to_regclass('only_here') AS found")).toEqual([{ found: null }]);
  } finally {
    await Promise.all([first.close(), second.close()]);
  }
}, 120_000);

test('only a directory not created yet is seeded: an existing database is never overwritten', async () => {
  const dir = join(parent, 'existing');
  await seedEmbeddedDatabase(dir);
  await expect(seedEmbeddedDatabase(dir)).rejects.toThrow(dir);
}, 120_000);

test('production cannot start from a template: no source file but the driver itself names openPgliteFromDump', async () => {
  const src = join(projectRoot(), 'src');
  const files = (await readdir(src, { recursive: true })).filter((file) => file.endsWith('.ts')).map((file) => join(src, file));
  const naming: string[] = [];
  for (const file of files) if ((await readFile(file, 'utf8')).includes('openPgliteFromDump')) naming.push(relative(src, file));
  expect(naming).toEqual(['storage/database/pglite-database.ts']);
});
