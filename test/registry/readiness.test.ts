import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { loadProviderConfig } from '../../src/config/config.js';
import { createProviderApp } from '../../src/provider-app.js';
import { AccessRegistry } from '../../src/registry/access-registry.js';
import type { Database } from '../../src/storage/database/database.js';
import { openTestPglite } from '../support/pglite-template.js';
import { RegistryUnavailableError } from '../../src/registry/registry-error.js';
import { temporaryKeys } from './support/registry-backends.js';

// /readyz reflects the access registry: a login cannot finish without a durable record (docs/registry.md).
let dir: string;
let keys: Awaited<ReturnType<typeof temporaryKeys>>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'registry-readiness-'));
  keys = await temporaryKeys();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await keys.remove();
});

const readyz = async (registry: AccessRegistry) => {
  const config = loadProviderConfig({ KEYS_DIR: dir, CIE_TRUST_ANCHORS: '', CIE_INTERMEDIATES: '', ISSUER: 'http://localhost:3999' });
  const app = await createProviderApp({ config, registry });
  return (await request(app.provider.callback()).get('/readyz')).status;
};

test('not ready while the embedded database is still opening (at once, not after a wait), ready once it is open and migrated', async () => {
  let open: (db: Database) => void = () => undefined;
  const opening = new Promise<Database>((resolve) => {
    open = resolve;
  });
  const registry = new AccessRegistry(opening, keys.keys);
  expect(await readyz(registry)).toBe(503);
  const db = await openTestPglite();
  open(db);
  await registry.ready();
  expect(await readyz(registry)).toBe(200);
  await registry.close();
}, 60_000);

test('not ready when the registry\'s database cannot be opened at all', async () => {
  const failed = Promise.reject(new RegistryUnavailableError(new Error('the embedded registry is open in another process')));
  const registry = new AccessRegistry(failed, keys.keys);
  await registry.ready().catch(() => undefined);
  expect(await readyz(registry)).toBe(503);
}, 60_000);
