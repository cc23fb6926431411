import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Database, Sql } from './database.js';
import { classifyDatabaseError } from './postgres-errors.js';
import { DatabaseUnavailableError } from './database-error.js';

export interface PostgresOptions {
  /** Longest wait for a connection and for one statement (ms): a login never hangs on the database. */
  timeoutMs?: number;
  /** Most connections this process opens. */
  maxConnections?: number;
}

const DEFAULT_TIMEOUT_MS = 2000;

/** A `pg` pool on DATABASE_URL that fails fast: every failure meaning "down" is DatabaseUnavailableError. */
export function openPostgres(url: string, options: PostgresOptions = {}): Database {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
    statement_timeout: timeoutMs,
    idleTimeoutMillis: 30_000,
  });
  // An idle connection cut by a server restart emits 'error' on the pool; without a listener the
  // process would exit. The next query opens a fresh connection.
  pool.on('error', () => {});

  const run = async <Row extends object>(client: pg.Pool | pg.PoolClient, text: string, params?: unknown[]): Promise<Row[]> => {
    try {
      return (await client.query(text, params)).rows as Row[];
    } catch (error) {
      throw classifyDatabaseError(error);
    }
  };

  const checkout = async (): Promise<pg.PoolClient> => {
    try {
      return await pool.connect();
    } catch (error) {
      throw classifyDatabaseError(error);
    }
  };

  return {
    kind: 'postgres',
    query: (text, params) => run(pool, text, params),
    // A named statement: `pg` parses it once per pooled connection (the name is the text's, so two texts never share one).
    async runPrepared(text, params) {
      try {
        return (await pool.query({ name: `prepared_${createHash('sha256').update(text).digest('hex').slice(0, 32)}`, text, values: [...params] })).rowCount ?? 0;
      } catch (error) {
        throw classifyDatabaseError(error);
      }
    },
    async transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
      let client = await checkout();
      try {
        await run(client, 'BEGIN');
      } catch (error) {
        // A pooled connection the server dropped while idle (a restart) fails at BEGIN, before
        // anything was sent for this transaction: retrying once on a fresh connection is safe.
        client.release(true);
        if (!(classifyDatabaseError(error) instanceof DatabaseUnavailableError)) throw error;
        client = await checkout();
        try {
          await run(client, 'BEGIN');
        } catch (retryError) {
          client.release(true);
          throw retryError;
        }
      }
      let broken: unknown;
      try {
        const result = await work({ query: (text, params) => run(client, text, params) });
        await run(client, 'COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          broken = rollbackError;
        });
        throw error;
      } finally {
        // A connection whose rollback failed is in an unknown state: destroy it rather than reuse it.
        client.release(broken instanceof Error ? broken : undefined);
      }
    },
    close: () => pool.end(),
  };
}
