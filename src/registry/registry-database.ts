import type { RegistryConfig } from '../config/config.js';
import type { Database, Sql } from '../storage/database/database.js';
import { DatabaseUnavailableError } from '../storage/database/database-error.js';
import { openDatabase } from '../storage/database/open-database.js';
import { RegistryUnavailableError } from './registry-error.js';

/**
 * The database as the registry speaks of it: an outage is `registry_unavailable` (the code the
 * login's 503, the metrics and the alerts name), not the storage room's generic one.
 */
export function registryErrorOf(error: unknown): unknown {
  return error instanceof DatabaseUnavailableError ? new RegistryUnavailableError(error.cause ?? error) : error;
}

/** The database with its outages named as the registry's. */
export function asRegistryDatabase(db: Database): Database {
  const named = registryErrorOf;
  return {
    kind: db.kind,
    async query<Row extends object>(text: string, params?: unknown[]): Promise<Row[]> {
      try {
        return await db.query<Row>(text, params);
      } catch (error) {
        throw named(error);
      }
    },
    async runPrepared(text: string, params: readonly (string | null)[]): Promise<number> {
      try {
        return await db.runPrepared(text, params);
      } catch (error) {
        throw named(error);
      }
    },
    async transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
      try {
        return await db.transaction(work);
      } catch (error) {
        throw named(error);
      }
    },
    close: () => db.close(),
  };
}

/** DATABASE_URL when set, otherwise PGlite in REGISTRY_DIR. */
export async function openRegistryDatabase(config: Pick<RegistryConfig, 'databaseUrl' | 'dir'>): Promise<Database> {
  return asRegistryDatabase(await openDatabase(config));
}
