import type { RegistryConfig } from '../config/config.js';
import type { RegistryDatabase } from './database.js';
import { openPglite } from './pglite-database.js';
import { openPostgres } from './postgres-database.js';

/** DATABASE_URL when set, otherwise PGlite in REGISTRY_DIR. */
export async function openRegistryDatabase(config: Pick<RegistryConfig, 'databaseUrl' | 'dir'>): Promise<RegistryDatabase> {
  return config.databaseUrl ? openPostgres(config.databaseUrl) : openPglite(config.dir);
}
