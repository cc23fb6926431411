import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from '../../../src/storage/database/database.js';
import { openTestPglite } from '../../support/pglite-template.js';
import { openPostgres } from '../../../src/storage/database/postgres-database.js';
import { loadRegistryKeys, type RegistryKeys } from '../../../src/registry/registry-keys.js';
import { startPostgres, type PostgresHandle } from '../../support/postgres-server.js';

/** One registry database under test: a real PostgreSQL server (spawned, or DATABASE_URL) or PGlite in memory. */
export interface RegistryBackend {
  name: 'postgres' | 'pglite';
  open(): Promise<Database>;
  /** A second, independent connection to the same database (another provider instance); PGlite: the same one. */
  openAnother(): Promise<Database>;
  stop(): Promise<void>;
}

export async function postgresBackend(): Promise<RegistryBackend & { server: PostgresHandle }> {
  const server = await startPostgres();
  return { name: 'postgres', server, open: async () => openPostgres(server.url), openAnother: async () => openPostgres(server.url), stop: () => server.stop() };
}

export async function pgliteBackend(): Promise<RegistryBackend> {
  const db = await openTestPglite();
  const shared: Database = { ...db, close: async () => {} };
  return { name: 'pglite', open: async () => shared, openAnother: async () => shared, stop: () => db.close() };
}

/** Fresh registry keys in a temporary KEYS_DIR. */
export async function temporaryKeys(): Promise<{ keys: RegistryKeys; dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'registry-keys-'));
  return { keys: await loadRegistryKeys(dir, true), dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A PGlite registry database and fresh keys for the calling file: opened before its tests, removed
 * after. The handle is filled in when the file starts.
 */
export function usePgliteRegistry(): { backend: RegistryBackend; keys: RegistryKeys } {
  const handle = {} as { backend: RegistryBackend; keys: RegistryKeys };
  let keyDir: Awaited<ReturnType<typeof temporaryKeys>> | undefined;
  beforeAll(async () => {
    handle.backend = await pgliteBackend();
    keyDir = await temporaryKeys();
    handle.keys = keyDir.keys;
  }, 120_000);
  afterAll(async () => {
    await handle.backend?.stop();
    await keyDir?.remove();
  }, 60_000);
  return handle;
}
