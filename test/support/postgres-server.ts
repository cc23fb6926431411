// The registry's tests start their PostgreSQL server with the launcher the bench shares.
export { spawnPostgres, startPostgres, type PostgresHandle } from './local-postgres.js';
