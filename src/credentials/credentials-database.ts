import type { Database, Sql } from '../storage/database/database.js';
import { DatabaseError, DatabaseUnavailableError } from '../storage/database/database-error.js';
import { migrate } from '../storage/database/migrate.js';
import { StorageUnavailableError } from '../storage/storage-unavailable-error.js';
import { credentialsMigrations } from './credentials-migrations.js';

/** What the credentials' store needs of the database (the provider's shared one closes with the registry). */
export type CredentialsDatabase = Pick<Database, 'query' | 'transaction'> & { ready(): Promise<Database> };

/** Runs one database call; the composition passes the storage outage watch's `observe`, so a failure flags the request for the 503. */
export type OutageObserver = <T>(call: () => Promise<T>) => Promise<T>;

/**
 * The provider's shared database as the credentials use it, opened at the first statement (a process
 * that never signs anyone in with credentials never opens it): every statement first waits for the
 * database to open and for the credentials' migration set to be applied — once (memoized), and
 * tried again at the next statement after a failure, so a database that was down at start needs no
 * restart. A database that cannot serve becomes the storage outage (StorageUnavailableError): the
 * guard answers 503 with its page, never a bare 500.
 */
export function credentialsDatabase(open: () => Promise<Database>, observe: OutageObserver = (call) => call()): CredentialsDatabase {
  let migrated: Promise<Database> | undefined;
  const ready = (): Promise<Database> => {
    migrated ??= open().then(async (db) => {
      await migrate(db, credentialsMigrations);
      return db;
    });
    migrated.catch(() => {
      migrated = undefined;
    });
    return migrated;
  };
  const guarded = <T>(call: (db: Database) => Promise<T>): Promise<T> =>
    observe(async () => {
      try {
        return await call(await ready());
      } catch (error) {
        // Down, or behind a schema this role may not migrate (`cie-credentials migrate` as the owner): an outage until fixed, no restart needed.
        if (error instanceof DatabaseUnavailableError || (error instanceof DatabaseError && error.code === 'database_schema_behind')) throw new StorageUnavailableError(error, "the credentials' database");
        throw error;
      }
    });
  return {
    ready,
    query: <Row extends object = Record<string, unknown>>(text: string, params?: unknown[]) => guarded((db) => db.query<Row>(text, params)),
    transaction: <T>(work: (sql: Sql) => Promise<T>) => guarded((db) => db.transaction(work)),
  };
}
