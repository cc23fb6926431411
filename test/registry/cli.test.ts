import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessRegistry } from '../../src/registry/access-registry.js';
import { runRegistryCli } from '../../src/registry/cli.js';
import { openPglite } from '../../src/storage/database/pglite-database.js';
import { openPostgres } from '../../src/storage/database/postgres-database.js';
import { loadRegistryKeys } from '../../src/registry/registry-keys.js';
import { startPostgres, type PostgresHandle } from '../support/postgres-server.js';
import { seedEmbeddedDatabase } from '../support/pglite-template.js';
import { CITIZEN, OTHER_CITIZEN, recordLogin } from './support/registry-scenarios.js';

let postgres: PostgresHandle;
let dir: string;
let env: Record<string, string>;

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runRegistryCli(argv, env, { out: (text) => out.push(text), err: (text) => err.push(text) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(async () => {
  postgres = await startPostgres();
  dir = await mkdtemp(join(tmpdir(), 'registry-cli-'));
  env = { DATABASE_URL: postgres.url, KEYS_DIR: join(dir, 'keys') };
  const registry = new AccessRegistry(openPostgres(postgres.url), await loadRegistryKeys(env.KEYS_DIR!, true));
  await registry.ready();
  await recordLogin(registry);
  await recordLogin(registry, OTHER_CITIZEN);
  await registry.close();
}, 120_000);

afterAll(async () => {
  await postgres?.stop();
  await rm(dir, { recursive: true, force: true });
}, 60_000);

test('migrate, checkpoint and verify', async () => {
  expect(await cli('migrate')).toMatchObject({ code: 0, out: 'schema up to date' });
  expect(await cli('checkpoint')).toMatchObject({ code: 0, out: expect.stringMatching(/^checkpoint at #8 [0-9a-f]{64}$/) });
  const verified = await cli('verify');
  expect(verified.code).toBe(0);
  expect(verified.out).toContain('records #1…#8 intact (8 records, 1 signed checkpoints)');
});

test('extract needs a requester, a legal basis and a citizen or an RP; the extraction is recorded', async () => {
  expect((await cli('extract', '--fiscal-code', 'RSSMRA85T10A562S')).code).toBe(1);
  expect((await cli('extract', '--requester', 'Garante', '--legal-basis', 'art. 58 GDPR')).err).toContain('--fiscal-code or --client');
  const out = join(dir, 'extract.json');
  const extracted = await cli('extract', '--requester', 'dott. Marco Neri, Garante privacy', '--legal-basis', 'art. 58 GDPR, richiesta n. 7', '--fiscal-code', 'rssmra85t10a562s', '--out', out);
  expect(extracted).toMatchObject({ code: 0, out: `4 records written to ${out}` });
  const file = JSON.parse(await readFile(out, 'utf8')) as { requester: string; records: { kind: string; personal: unknown }[] };
  expect(file.requester).toBe('dott. Marco Neri, Garante privacy');
  expect(file.records.map((record) => record.kind)).toEqual(['authentication', 'consent', 'exchange', 'exchange']);
  const registry = new AccessRegistry(openPostgres(postgres.url), await loadRegistryKeys(env.KEYS_DIR!, false));
  const extractions = await registry.listForAccount(CITIZEN, ['extraction']);
  expect(extractions.map((record) => record.details)).toEqual([expect.objectContaining({ requester: 'dott. Marco Neri, Garante privacy', legal_basis: 'art. 58 GDPR, richiesta n. 7' })]);
  await registry.close();
});

test('verify names the first broken record after a row is altered with SQL, and a range before it is still intact', async () => {
  const db = openPostgres(postgres.url);
  await db.query(`UPDATE registry_records SET client_id = 'https://evil.example' WHERE seq = 6`);
  await db.close();
  const broken = await cli('verify');
  expect(broken.code).toBe(2);
  expect(broken.err).toBe('first broken record: #6 (content_altered)');
  expect((await cli('verify', '--from', '1', '--to', '5')).code).toBe(0);
  expect((await cli('verify', '--from', 'x')).code).toBe(1);
});

test('purge keeps what is within the retention', async () => {
  expect(await cli('purge')).toMatchObject({ code: 0, out: 'nothing older than 24 months' });
});

test('the retention cannot be shortened below the 24 months the records must be kept (DM 8 settembre 2022 art. 13)', async () => {
  expect(await cli('purge', '--months', '6')).toMatchObject({ code: 1, err: expect.stringContaining('24') });
  const saved = env;
  env = { ...saved, REGISTRY_RETENTION_MONTHS: '12' };
  try {
    expect(await cli('purge')).toMatchObject({ code: 1, err: expect.stringContaining('REGISTRY_RETENTION_MONTHS') });
  } finally {
    env = saved;
  }
  expect(await cli('purge', '--months', '36')).toMatchObject({ code: 0, out: 'nothing older than 36 months' });
});

test('the embedded database refuses a second process instead of being corrupted', async () => {
  const registryDir = join(dir, 'embedded');
  await seedEmbeddedDatabase(registryDir);
  const first = await openPglite(registryDir);
  await expect(openPglite(registryDir)).rejects.toMatchObject({ code: 'database_locked' });
  const locked = await runRegistryCli(['migrate'], { REGISTRY_DIR: registryDir, KEYS_DIR: env.KEYS_DIR! }, { out: () => {}, err: () => {} });
  expect(locked).toBe(1);
  await first.close();
  expect(await runRegistryCli(['migrate'], { REGISTRY_DIR: registryDir, KEYS_DIR: env.KEYS_DIR! }, { out: () => {}, err: () => {} })).toBe(0);
}, 120_000);

test('keys creates the key file once and then only names its keys', async () => {
  const keysEnv = { KEYS_DIR: join(dir, 'fresh-keys') };
  const lines: string[] = [];
  const io = { out: (text: string) => lines.push(text), err: () => {} };
  expect(await runRegistryCli(['keys'], keysEnv, io)).toBe(0);
  expect(await runRegistryCli(['keys'], keysEnv, io)).toBe(0);
  expect(lines[0]).toMatch(/registry-keys\.json: sealing key k-[0-9a-f]{16}, signing key registry-[0-9a-f]{16}$/);
  expect(lines[1]).toBe(lines[0]);
});

test('usage', async () => {
  expect((await cli('nonsense')).code).toBe(1);
  expect((await cli('help')).err).toContain('cie-registry verify');
});
