import { CodedError } from '../../shared/coded-error.js';

/**
 * `database_unavailable`: the database cannot serve now (down, restarting, read-only, timed out);
 * retrying later may succeed. `database_locked`: the embedded database is open in another process.
 * `database_schema_behind`: migrations are pending and this connection may not apply them (a
 * least-privilege role): the owner must run them (`cie-registry migrate` with DATABASE_OWNER_URL).
 */
export type DatabaseErrorCode = 'database_unavailable' | 'database_locked' | 'database_schema_behind';

export class DatabaseError extends CodedError<DatabaseErrorCode> {}

export class DatabaseUnavailableError extends DatabaseError {
  constructor(cause: unknown) {
    const causeMessage = (cause as { message?: unknown } | undefined)?.message;
    super('database_unavailable', `the database is unavailable${typeof causeMessage === 'string' ? `: ${causeMessage}` : ''}`, {}, { cause });
  }
}
