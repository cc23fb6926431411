import { AccessRegistry } from '../../src/registry/access-registry.js';
import { RegistryUnavailableError } from '../../src/registry/registry-error.js';
import type { Database } from '../../src/storage/database/database.js';
import { DatabaseUnavailableError } from '../../src/storage/database/database-error.js';
import { usePgliteRegistry } from './support/registry-backends.js';
import { CITIZEN } from './support/registry-scenarios.js';

// Records that arrive together are written in one transaction; each caller is answered after it commits.
const pglite = usePgliteRegistry();

/** The database, counting transactions, and failing them while `down`. */
function counted(db: Database) {
  const state = { transactions: 0, down: false };
  const wrapped: Database = {
    kind: db.kind,
    query: (text, params) => db.query(text, params),
    runPrepared: (text, params) => db.runPrepared(text, params),
    transaction: (work) => {
      state.transactions += 1;
      return state.down ? Promise.reject(new DatabaseUnavailableError(new Error('connection terminated'))) : db.transaction(work);
    },
    close: () => db.close(),
  };
  return { wrapped, state };
}

const exchange = (grantId: string) => ({ exchange: 'token' as const, clientId: 'https://rp.example.it', accountId: CITIZEN, grantId, status: 200, hashes: {} });

test('concurrent records share transactions, stay in one unbroken chain, and each caller gets its own record', async () => {
  const { wrapped, state } = counted(await pglite.backend.open());
  const registry = new AccessRegistry(wrapped, pglite.keys);
  await registry.ready();
  const before = state.transactions;
  const records = await Promise.all(Array.from({ length: 12 }, (_, index) => registry.recordExchange(exchange(`grant-${index}`))));
  expect(state.transactions - before).toBeLessThan(records.length);
  const seqs = records.map((record) => record.seq);
  expect(new Set(seqs).size).toBe(records.length);
  const stored = await wrapped.query<{ seq: unknown; hash: string }>('SELECT seq, hash FROM registry_records ORDER BY seq');
  for (const record of records) expect(stored.find((row) => Number(row.seq) === record.seq)?.hash).toBe(record.hash);
  expect((await registry.verify()).firstBroken).toBeUndefined();
}, 60_000);

test('a batch whose transaction fails fails every caller in it, writes none of them, and the next write works', async () => {
  const { wrapped, state } = counted(await pglite.backend.open());
  const registry = new AccessRegistry(wrapped, pglite.keys);
  await registry.ready();
  const [{ count: before }] = (await wrapped.query<{ count: unknown }>('SELECT count(*) AS count FROM registry_records')) as [{ count: unknown }];
  state.down = true;
  const outcomes = await Promise.allSettled([1, 2, 3].map((index) => registry.recordExchange(exchange(`failed-${index}`))));
  expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected']);
  for (const outcome of outcomes) expect((outcome as PromiseRejectedResult).reason).toBeInstanceOf(RegistryUnavailableError);
  const [{ count: after }] = (await wrapped.query<{ count: unknown }>('SELECT count(*) AS count FROM registry_records')) as [{ count: unknown }];
  expect(Number(after)).toBe(Number(before));
  state.down = false;
  await expect(registry.recordExchange(exchange('after'))).resolves.toMatchObject({ kind: 'exchange' });
  expect((await registry.verify()).firstBroken).toBeUndefined();
}, 60_000);
