// Part `registry` of `npm run bench`: what the access registry costs a login, beside its floor — the
// same bytes written by bare INSERTs on the same database — and how many records per second it takes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { AccessRegistry } from '../../src/registry/access-registry.js';
import type { Database } from '../../src/storage/database/database.js';
import { startPostgres } from '../../test/support/local-postgres.js';
import { openPglite } from '../../src/storage/database/pglite-database.js';
import { openPostgres } from '../../src/storage/database/postgres-database.js';
import { loadRegistryKeys } from '../../src/registry/registry-keys.js';
import { secretHash } from '../../src/registry/sealing.js';
import { summarize } from './statistics.js';
import { fixed, spread } from './table.js';

const ROUNDS = 10;
const LOGINS_PER_ROUND = 20;
const THROUGHPUT_MS = 3000;
const CONCURRENCY = 8;
const CLIENT = 'https://rp.example.it';

/** What one card login writes: sign-in, consent, token and userinfo exchanges (4 records, 4 transactions). */
async function registryLogin(registry: AccessRegistry, n: number): Promise<void> {
  const accountId = `TINIT-RSSMRA85T10A${String(n % 1000).padStart(3, '0')}S`;
  const grantId = `grant-${n}`;
  await registry.recordAuthentication({
    clientId: CLIENT, accountId, method: 'cie-card', outcome: 'authenticated', acr: 'https://www.spid.gov.it/SpidL3', amr: ['sc', 'pin', 'mfa'],
    requestObject: `eyJhbGciOiJSUzI1NiJ9.${'x'.repeat(900)}.${'s'.repeat(342)}`,
    requestParameters: { client_id: CLIENT, scope: 'openid profile', redirect_uri: `${CLIENT}/callback`, state: 's'.repeat(32), nonce: 'n'.repeat(32) },
    attributes: { given_name: 'Mario', family_name: 'Rossi', fiscal_number: 'TINIT-RSSMRA85T10A562S', birthdate: '1985-12-10' },
    certificateSerial: '0a1b2c3d4e5f',
  });
  await registry.recordConsent({ clientId: CLIENT, accountId, grantId, scopes: ['openid', 'profile'], released: { given_name: 'Mario', family_name: 'Rossi' }, offlineAccess: false });
  await registry.recordExchange({ exchange: 'token', clientId: CLIENT, accountId, grantId, status: 200, grantType: 'authorization_code', hashes: { presented_code: secretHash(`c${n}`), issued_access_token: secretHash(`a${n}`), issued_id_token: secretHash(`i${n}`) } });
  await registry.recordExchange({ exchange: 'userinfo', clientId: CLIENT, accountId, grantId, status: 200, hashes: { presented_access_token: secretHash(`a${n}`), response: secretHash(`r${n}`) } });
}

/** The floor: the same number of rows of the same size, each a bare autocommitted INSERT. */
async function floorLogin(db: Database, rowBytes: number[]): Promise<void> {
  for (const bytes of rowBytes) await db.query('INSERT INTO bench_floor (recorded_at, payload) VALUES (now(), $1)', ['p'.repeat(bytes)]);
}

async function timeEach(count: number, run: (n: number) => Promise<void>, offset: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await run(offset + i);
    samples.push(performance.now() - start);
  }
  return samples;
}

async function throughput(run: (n: number) => Promise<void>): Promise<number> {
  let done = 0;
  const until = performance.now() + THROUGHPUT_MS;
  const start = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (performance.now() < until) await run(done++);
  }));
  return done / ((performance.now() - start) / 1000);
}

async function measure(name: string, db: Database, anotherConnection: () => Database | Promise<Database>, keysDir: string): Promise<string[][]> {
  const registry = new AccessRegistry(db, await loadRegistryKeys(keysDir, true));
  await registry.ready();
  await db.query('CREATE TABLE IF NOT EXISTS bench_floor (id bigserial PRIMARY KEY, recorded_at timestamptz NOT NULL, payload text NOT NULL)');
  await registryLogin(registry, 0);
  // Row sizes as stored (every column as text), so the floor writes the same bytes.
  const rows = await db.query<{ bytes: unknown }>('SELECT octet_length(registry_records::text) AS bytes FROM registry_records ORDER BY seq DESC LIMIT 4');
  const rowBytes = rows.map((row) => Number(row.bytes));
  const withRegistry: number[] = [];
  const floor: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    withRegistry.push(...(await timeEach(LOGINS_PER_ROUND, (n) => registryLogin(registry, n), round * LOGINS_PER_ROUND)));
    floor.push(...(await timeEach(LOGINS_PER_ROUND, () => floorLogin(db, rowBytes), 0)));
  }
  const registryLogins = summarize(withRegistry);
  const floorLogins = summarize(floor);
  // Throughput: records per second from CONCURRENCY writers (on PostgreSQL, each its own connection pool slot).
  const writer = new AccessRegistry(await anotherConnection(), await loadRegistryKeys(keysDir, false));
  const recordsPerSecond = await throughput((n) => writer.recordExchange({ exchange: 'userinfo', clientId: CLIENT, accountId: `TINIT-${n}`, status: 200, hashes: { presented_access_token: secretHash(String(n)) } }).then(() => undefined));
  const floorPerSecond = await throughput(() => floorLogin(db, [rowBytes[rowBytes.length - 1]!]));
  await writer.close();
  const verified = await registry.verify();
  if (!verified.ok) throw new Error(`bench chain broken: ${JSON.stringify(verified.firstBroken)}`);
  return [
    [`${name}: one login (4 records)`, spread(registryLogins), spread(floorLogins), `${fixed((floorLogins.median / registryLogins.median) * 100, 0)} %`],
    [`${name}: records/s, ${CONCURRENCY} writers`, fixed(recordsPerSecond, 0), fixed(floorPerSecond, 0), `${fixed((recordsPerSecond / floorPerSecond) * 100, 0)} %`],
    [`${name}: bytes per login`, String(rowBytes.reduce((a, b) => a + b, 0)), '', ''],
  ];
}

/** The table of part `registry`: on a PostgreSQL server (spawned, or DATABASE_URL) and on PGlite in a directory. */
export async function runRegistryBenchmark(): Promise<{ header: string[]; rows: string[][] }> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-registry-'));
  const rows: string[][] = [];
  try {
    const server = await startPostgres();
    const db = openPostgres(server.url, { maxConnections: CONCURRENCY + 2 });
    try {
      rows.push(...(await measure('PostgreSQL', db, () => openPostgres(server.url, { maxConnections: CONCURRENCY }), join(dir, 'keys'))));
    } finally {
      await db.close();
      await server.stop();
    }
    const embedded = await openPglite(join(dir, 'pglite'));
    try {
      // One process, one connection: the second "connection" is the same database.
      rows.push(...(await measure('PGlite', embedded, () => ({ ...embedded, close: async () => {} }), join(dir, 'keys'))));
    } finally {
      await embedded.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return { header: ['', 'registry: median ms (p10–p90) or rate', 'floor: bare INSERTs, same bytes', 'floor / registry'], rows };
}
