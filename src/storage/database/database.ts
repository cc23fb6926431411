/** One SQL statement with positional parameters ($1, $2…), the rows it returns. Same SQL on PostgreSQL and PGlite. */
export interface Sql {
  query<Row extends object = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
}

/** The durable database: PostgreSQL through `pg`, or PGlite embedded in the process. */
export interface Database extends Sql {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
