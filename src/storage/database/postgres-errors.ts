import { DatabaseUnavailableError } from './database-error.js';

/**
 * SQLSTATE classes and codes that mean "the server cannot serve now, retry later" rather than a bug:
 * 08 connection exception, 57P01–57P03 shutdown / cannot connect now, 53 insufficient resources
 * (disk full, too many connections), 25006 read-only transaction (a standby after failover),
 * 40001/40P01 serialisation failure and deadlock (retrying the whole transaction succeeds).
 * PostgreSQL documentation, Appendix A "PostgreSQL Error Codes".
 */
const RETRY_LATER = /^(08|53|57P0[123]|25006|40001|40P01)/;

/** Node socket errors and the `pg` driver's own messages when the server is gone or slow. */
const CONNECTION_FAILURE = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE|Connection terminated|timeout exceeded|Query read timeout|connect ECONN|Client has encountered a connection error|terminating connection|the database system is (starting up|shutting down|in recovery)/i;

/** A failure that means the database is unavailable becomes DatabaseUnavailableError; any other is rethrown as it is. */
export function classifyDatabaseError(error: unknown): unknown {
  if (error instanceof DatabaseUnavailableError) return error;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && RETRY_LATER.test(code)) return new DatabaseUnavailableError(error);
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) return new DatabaseUnavailableError(error);
  if (typeof message === 'string' && CONNECTION_FAILURE.test(message)) return new DatabaseUnavailableError(error);
  return error;
}
