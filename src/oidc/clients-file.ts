import { readFile } from 'node:fs/promises';
import type { ClientMetadata } from 'oidc-provider';
import { ConfigError } from '../config/config.js';
import { assertExtraClientMetadata, extraClientMetadataProperties } from './extra-client-metadata.js';

/** Statically registered relying parties: a JSON array of client metadata (with inline `jwks`). */
export async function loadClientsFile(path: string): Promise<ClientMetadata[]> {
  if (!path) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ConfigError('invalid_config', `cannot read CLIENTS_FILE ${path}: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed) || !parsed.every((c) => typeof c === 'object' && c && typeof c.client_id === 'string')) {
    throw new ConfigError('invalid_config', `${path} must be a JSON array of client metadata objects with client_id`);
  }
  for (const client of parsed as ClientMetadata[]) {
    // Refused here, at start: oidc-provider would only notice when the client first calls.
    for (const property of extraClientMetadataProperties) {
      try {
        assertExtraClientMetadata(property, client[property]);
      } catch (error) {
        throw new ConfigError('invalid_config', `${path}: client ${client.client_id}: ${(error as Error & { error_description?: string }).error_description ?? (error as Error).message}`);
      }
    }
  }
  return parsed as ClientMetadata[];
}
