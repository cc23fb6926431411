import type { Database } from './database.js';
import { openPglite } from './pglite-database.js';
import { openPostgres } from './postgres-database.js';

/** Where the durable database is: a PostgreSQL URL, or the embedded PGlite's directory. */
export interface DatabaseLocation {
  databaseUrl?: string;
  dir?: string;
}

/** `databaseUrl` when set, otherwise PGlite in `dir`. */
export async function openDatabase(location: DatabaseLocation): Promise<Database> {
  return location.databaseUrl ? openPostgres(location.databaseUrl) : openPglite(location.dir);
}
