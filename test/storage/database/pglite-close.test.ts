import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProviderConfig } from '../../../src/config/config.js';
import { closeProviderDatabase, openProviderDatabase } from '../../../src/registry-wiring.js';
import { seedEmbeddedDatabase } from '../../support/pglite-template.js';

test('the provider database opened by any room is closed by closeProviderDatabase: its lock file is gone, a second close is harmless, and the next open gets a fresh one', async () => {
  const parent = await mkdtemp(join(tmpdir(), 'cie-db-close-'));
  const dir = join(parent, 'registry');
  // Only the registry settings matter to opening the shared database.
  const config = { registry: { dir } } as unknown as ProviderConfig;
  // A cluster from the template: the closing is under test, not the initdb (pglite-memory covers that).
  await seedEmbeddedDatabase(dir);
  try {
    const db = await openProviderDatabase(config);
    expect(existsSync(`${dir}.lock`)).toBe(true);
    await closeProviderDatabase(config);
    expect(existsSync(`${dir}.lock`)).toBe(false);
    await expect(db.close()).resolves.toBeUndefined();
    await closeProviderDatabase(config);
    const reopened = await openProviderDatabase(config);
    expect(reopened).not.toBe(db);
    expect(await reopened.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await closeProviderDatabase(config);
  } finally {
    await rm(parent, { recursive: true, force: true });
  }
}, 120_000);
