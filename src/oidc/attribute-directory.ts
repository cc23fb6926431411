import { readFile } from 'node:fs/promises';
import type { AccountClaims, AttributeDirectory } from './accounts.js';
import { ConfigError } from '../config/config.js';

/** No extra-registry attributes: only what the card proves is released. */
export const emptyDirectory: AttributeDirectory = { lookup: async () => ({}) };

/** A JSON file `{ "<fiscal code>": { "email": "…", "email_verified": true, … } }` (demo, small deployments). */
export async function loadFileDirectory(path: string): Promise<AttributeDirectory> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ConfigError('invalid_config', `cannot read attribute directory ${path}: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError('invalid_config', `${path} must map fiscal codes to attribute objects`);
  }
  const entries = new Map(Object.entries(parsed as Record<string, AccountClaims>));
  return { lookup: async (fiscalCode) => ({ ...(entries.get(fiscalCode) ?? {}) }) };
}
