/** One SQL statement with positional parameters ($1, $2…), the rows it returns. Same SQL on PostgreSQL and PGlite. */
export interface Sql {
  query<Row extends object = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
}

/** The durable database: PostgreSQL through `pg`, or PGlite embedded in the process. */
export interface Database extends Sql {
  readonly kind: 'postgres' | 'pglite';
  /**
   * Runs, autocommitted, a statement its caller sends again and again with the same text (the
   * registry's append), and answers how many rows it wrote (its command tag's count). Parameters
   * are text or null, typed by casts in the text. The text is parsed and planned once per
   * connection and then only bound and executed — on the embedded database, where parsing and
   * planning are most of a small statement's cost in the provider's own thread, in one call.
   */
  runPrepared(text: string, params: readonly (string | null)[]): Promise<number>;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
