import type { Migration, MigrationSet } from '../storage/database/migration-set.js';

/**
 * The registry's schema, one versioned step each, applied in order by `migrate` (never edit a step
 * that has shipped: add the next one). Plain SQL that PostgreSQL and PGlite run alike.
 */

export const GENESIS_HASH = '0'.repeat(64);

const steps: readonly Migration[] = [
  {
    version: 1,
    name: 'access registry: hash-chained records, chain head, signed checkpoints',
    sql: `
      CREATE TABLE registry_records (
        seq bigint PRIMARY KEY,
        recorded_at timestamptz NOT NULL,
        kind text NOT NULL,
        client_id text,
        subject_index text,
        grant_ref text,
        details text NOT NULL,
        sealed text,
        key_id text,
        prev_hash text NOT NULL,
        hash text NOT NULL
      );
      CREATE INDEX registry_records_subject ON registry_records (subject_index, seq) WHERE subject_index IS NOT NULL;
      CREATE INDEX registry_records_recorded_at ON registry_records (recorded_at);
      CREATE TABLE registry_head (
        id smallint PRIMARY KEY CHECK (id = 1),
        seq bigint NOT NULL,
        hash text NOT NULL
      );
      INSERT INTO registry_head (id, seq, hash) VALUES (1, 0, '${GENESIS_HASH}');
      CREATE TABLE registry_checkpoints (
        seq bigint NOT NULL,
        kind text NOT NULL,
        hash text NOT NULL,
        signed_at timestamptz NOT NULL,
        jws text NOT NULL,
        PRIMARY KEY (seq, kind)
      );
    `,
  },
];

/**
 * The registry's migration set. The provider's role only appends: it reads and inserts records and
 * checkpoints and moves the chain's head; it may not alter or delete a record, nor purge (the owner's
 * `cie-registry purge`), nor change the schema (docs/registry.md, "Roles").
 */
export const registryMigrations: MigrationSet = {
  owner: 'registry',
  steps,
  grants: [
    { table: 'registry_records', privileges: ['SELECT', 'INSERT'] },
    { table: 'registry_head', privileges: ['SELECT', 'UPDATE'] },
    { table: 'registry_checkpoints', privileges: ['SELECT', 'INSERT'] },
  ],
  command: 'cie-registry migrate',
};
