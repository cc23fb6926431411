import type { Database } from '../../../src/storage/database/database.js';
import { migrate } from '../../../src/storage/database/migrate.js';
import { openTestPglite } from '../../support/pglite-template.js';
import { openPostgres } from '../../../src/storage/database/postgres-database.js';
import { credentialsMigrations } from '../../../src/credentials/credentials-migrations.js';
import { startPostgres } from '../../support/postgres-server.js';

/** A migrated credentials database: a real PostgreSQL server (spawned, or DATABASE_URL) or PGlite in memory. */
export interface CredentialsBackend {
  db: Database;
  /** Empties every credentials table (between tests). */
  clear(): Promise<void>;
  stop(): Promise<void>;
}

export async function credentialsBackend(kind: 'postgres' | 'pglite'): Promise<CredentialsBackend> {
  const server = kind === 'postgres' ? await startPostgres() : undefined;
  const db = server ? openPostgres(server.url) : await openTestPglite();
  await migrate(db, credentialsMigrations);
  return {
    db,
    clear: async () => {
      await db.query('TRUNCATE credential_citizens, credential_passwords, credential_passkeys, credential_email_codes, credential_sign_in_failures, credential_app_devices');
    },
    stop: async () => {
      await db.close();
      await server?.stop();
    },
  };
}

/**
 * One migrated PGlite (or PostgreSQL) backend for the calling describe block: opened before its
 * tests, emptied before each, closed after. The handle is filled in when the block starts.
 */
export function useCredentialsBackend(kind: 'postgres' | 'pglite' = 'pglite', startMs = 60_000): CredentialsBackend {
  const handle = {} as CredentialsBackend;
  beforeAll(async () => {
    Object.assign(handle, await credentialsBackend(kind));
  }, startMs);
  afterAll(async () => handle.stop?.());
  beforeEach(async () => handle.clear());
  return handle;
}

/** A cheap scrypt cost for tests that hash often (the default cost is measured in docs/levels.md). */
export const TEST_SCRYPT_COST = { logN: 10, r: 8, p: 1 };

export const CITIZEN = { fiscalCode: 'RSSMRA85T10A562S', claims: { given_name: 'Mario', family_name: 'Rossi', fiscal_number: 'TINIT-RSSMRA85T10A562S' } };
export const OTHER_CITIZEN = { fiscalCode: 'BNCLRA90A41F205X', claims: { given_name: 'Laura', family_name: 'Bianchi', fiscal_number: 'TINIT-BNCLRA90A41F205X' } };
