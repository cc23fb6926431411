/** One versioned step of a room's schema (never edit a step that has shipped: add the next one). */
export interface Migration {
  version: number;
  name: string;
  /** Plain SQL that PostgreSQL and PGlite run alike; statements end with `;` at the end of a line. */
  sql: string;
}

/** What the service's least-privilege role may do on one table of the set. */
export interface TableGrant {
  table: string;
  privileges: readonly ('SELECT' | 'INSERT' | 'UPDATE' | 'DELETE')[];
}

/**
 * A room's own migrations (the registry's, the credentials'…): versions are numbered per owner and
 * tracked per owner in `schema_migrations`, so rooms add steps without touching each other's files.
 */
export interface MigrationSet {
  /** A stable name, the set's key in `schema_migrations` ('registry', 'credentials'). */
  owner: string;
  steps: readonly Migration[];
  /** Granted to the service's role by each migrate run as the owner (least privilege; PostgreSQL only). */
  grants?: readonly TableGrant[];
  /** What the operator runs to migrate this set as the owner (named when the schema is behind). */
  command: string;
}
