import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProviderConfig } from '../../src/config/config.js';
import { AccessRegistry } from '../../src/registry/access-registry.js';
import { runRegistryCli } from '../../src/registry/cli.js';
import { RegistryUnavailableError } from '../../src/registry/registry-error.js';
import { loadRegistryKeys, type RegistryKeys } from '../../src/registry/registry-keys.js';
import { openProviderRegistry } from '../../src/registry-wiring.js';
import type { Database } from '../../src/storage/database/database.js';
import { openPostgres } from '../../src/storage/database/postgres-database.js';
import { captureLogs } from '../support/captured-logs.js';
import { startPostgres, type PostgresHandle } from '../support/postgres-server.js';
import { CITIZEN, recordLogin, testClock } from './support/registry-scenarios.js';

// The provider connects as a role that may only append to the registry; the tables' owner migrates,
// purges and signs checkpoints on command (docs/registry.md, "Roles"). A real PostgreSQL server: PGlite has no roles.
let server: PostgresHandle;
let admin: Database;
let dir: string;
let keys: RegistryKeys;
const suffix = randomBytes(4).toString('hex');
const owner = `registry_owner_${suffix}`;
const service = `registry_provider_${suffix}`;
const database = `registry_roles_${suffix}`;
let ownerUrl: string;
let serviceUrl: string;

function urlFor(user: string): string {
  const url = new URL(server.url);
  url.username = user;
  url.password = 'not-a-secret';
  url.pathname = `/${database}`;
  return url.href;
}

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runRegistryCli(argv, { DATABASE_URL: serviceUrl, DATABASE_OWNER_URL: ownerUrl, KEYS_DIR: dir }, { out: (text) => out.push(text), err: (text) => err.push(text) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(async () => {
  server = await startPostgres();
  admin = openPostgres(server.url);
  await admin.query(`CREATE ROLE ${owner} LOGIN PASSWORD 'not-a-secret'`);
  await admin.query(`CREATE ROLE ${service} LOGIN PASSWORD 'not-a-secret'`);
  await admin.query(`CREATE DATABASE ${database} OWNER ${owner}`);
  ownerUrl = urlFor(owner);
  serviceUrl = urlFor(service);
  dir = await mkdtemp(join(tmpdir(), 'registry-roles-'));
  keys = await loadRegistryKeys(dir, true);
}, 120_000);

afterAll(async () => {
  await admin?.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`).catch(() => {});
  await admin?.query(`DROP ROLE IF EXISTS ${service}`).catch(() => {});
  await admin?.query(`DROP ROLE IF EXISTS ${owner}`).catch(() => {});
  await admin?.close();
  await server?.stop();
  await rm(dir, { recursive: true, force: true });
}, 60_000);

test('the provider started on a schema behind tells the operator what to run, answers 503, and works once the owner has migrated (no restart)', async () => {
  const logs = captureLogs('info');
  const config = loadProviderConfig({ KEYS_DIR: dir, CIE_TRUST_ANCHORS: '', CIE_INTERMEDIATES: '', ISSUER: 'http://localhost:3999', DATABASE_URL: serviceUrl });
  const registry = await openProviderRegistry(config);
  try {
    const refused = await registry.ready().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RegistryUnavailableError);
    await new Promise((resolve) => setImmediate(resolve));
    const line = logs.lines.find((entry) => entry.event === 'registry_schema_behind');
    expect(line).toMatchObject({ level: 'error', component: 'registry' });
    expect(String(line?.msg)).toMatch(/"registry" schema is at version 0, this program needs 1/);
    expect(String(line?.msg)).toMatch(/cie-registry migrate/);
    expect(String(line?.msg)).toMatch(/DATABASE_OWNER_URL/);
    expect(await registry.available()).toBe(false);
    await expect(registry.recordAuthentication({ clientId: 'rp', accountId: CITIZEN, method: 'cie-card', outcome: 'authenticated' })).rejects.toBeInstanceOf(RegistryUnavailableError);

    expect(await cli('migrate')).toMatchObject({ code: 0, out: expect.stringContaining('applied migrations 1') });
    expect((await cli('migrate')).out).toMatch(/schema up to date/);

    await recordLogin(registry);
    expect(await registry.available()).toBe(true);
    expect(await registry.checkpoint()).toMatchObject({ seq: 4 });
  } finally {
    logs.restore();
    await registry.close();
  }
}, 60_000);

test("the provider's role appends and reads, and cannot alter, delete, truncate or drop records, nor change the schema", async () => {
  const provider = openPostgres(serviceUrl);
  try {
    const registry = new AccessRegistry(provider, keys);
    await registry.ready();
    await recordLogin(registry);
    expect((await registry.listForAccount(CITIZEN)).length).toBeGreaterThan(0);
    for (const statement of [
      "UPDATE registry_records SET details = '{}' WHERE seq = 1",
      'DELETE FROM registry_records WHERE seq = 1',
      'TRUNCATE registry_records',
      'DELETE FROM registry_checkpoints',
      'UPDATE registry_checkpoints SET jws = jws',
      'DROP TABLE registry_records',
      'ALTER TABLE registry_records DROP COLUMN hash',
      'CREATE TABLE registry_shadow (seq bigint)',
      'DELETE FROM schema_migrations',
    ]) {
      await expect(provider.query(statement)).rejects.toMatchObject({ code: '42501' });
    }
    const verified = await cli('verify');
    expect(verified.code).toBe(0);
  } finally {
    await provider.close();
  }
}, 60_000);

test("the purge is the owner's: the provider's role is refused, cie-registry purge as the owner removes the old records and the chain still verifies", async () => {
  const clock = testClock(new Date(Date.now() - 30 * 31 * 86_400_000));
  const provider = openPostgres(serviceUrl);
  try {
    const past = new AccessRegistry(provider, keys, { clock: clock.now });
    await recordLogin(past);
    await expect(new AccessRegistry(provider, keys).purge(24)).rejects.toMatchObject({ code: '42501' });
    const purged = await cli('purge');
    expect(purged).toMatchObject({ code: 0, out: expect.stringMatching(/^purged \d+ records/) });
    expect(await cli('checkpoint')).toMatchObject({ code: 0 });
    expect(await cli('verify')).toMatchObject({ code: 0 });
  } finally {
    await provider.close();
  }
}, 60_000);
