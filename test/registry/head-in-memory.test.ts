import { AccessRegistry } from '../../src/registry/access-registry.js';
import { appendIfHeadIs, chainedAfter } from '../../src/registry/chain-writer.js';
import type { Database } from '../../src/storage/database/database.js';
import { usePgliteRegistry } from './support/registry-backends.js';
import { CITIZEN } from './support/registry-scenarios.js';

// The embedded database's writer keeps the chain's head in memory: one statement per batch, never a fork.
const pglite = usePgliteRegistry();

/** The database, counting statements outside a transaction and transactions, as another kind when asked. */
function counted(db: Database, kind: Database['kind'] = db.kind) {
  const state = { statements: 0, transactions: 0 };
  const wrapped: Database = {
    kind,
    query: (text, params) => {
      state.statements += 1;
      return db.query(text, params);
    },
    runPrepared: (text, params) => {
      state.statements += 1;
      return db.runPrepared(text, params);
    },
    transaction: (work) => {
      state.transactions += 1;
      return db.transaction(work);
    },
    close: () => db.close(),
  };
  return { wrapped, state };
}

const exchange = (grantId: string) => ({ exchange: 'token' as const, clientId: 'https://rp.example.it', accountId: CITIZEN, grantId, status: 200, hashes: {} });

const head = async (db: Database) => {
  const [row] = await db.query<{ seq: unknown; hash: string }>('SELECT seq, hash FROM registry_head WHERE id = 1');
  return { seq: Number(row!.seq), hash: row!.hash };
};

test('on the embedded database, after its first write the registry writes each record in one statement, no transaction, the chain unbroken', async () => {
  const { wrapped, state } = counted(await pglite.backend.open());
  const registry = new AccessRegistry(wrapped, pglite.keys);
  await registry.ready();
  const first = await registry.recordExchange(exchange('first'));
  const [transactions, statements] = [state.transactions, state.statements];
  const next = [];
  for (const index of [1, 2, 3]) next.push(await registry.recordExchange(exchange(`next-${index}`)));
  expect(state.transactions).toBe(transactions);
  expect(state.statements - statements).toBe(3);
  expect(next.map((record) => record.seq)).toEqual([first.seq + 1, first.seq + 2, first.seq + 3]);
  expect(next[0]!.prevHash).toBe(first.hash);
  expect(await head(wrapped)).toEqual({ seq: next[2]!.seq, hash: next[2]!.hash });
  expect((await registry.verify()).firstBroken).toBeUndefined();
}, 60_000);

test('a head moved by another writer is never overwritten: the registry chains after the real head, in the locked transaction', async () => {
  const db = await pglite.backend.open();
  const { wrapped, state } = counted(db);
  const registry = new AccessRegistry(wrapped, pglite.keys);
  const other = new AccessRegistry(db, pglite.keys);
  await registry.ready();
  await registry.recordExchange(exchange('mine'));
  // Another writer of the same chain (the purge's record, a second registry) moves the head.
  const theirs = await other.recordExchange(exchange('theirs'));
  const transactions = state.transactions;
  const after = await registry.recordExchange(exchange('after'));
  expect(state.transactions).toBe(transactions + 1);
  expect(after.seq).toBe(theirs.seq + 1);
  expect(after.prevHash).toBe(theirs.hash);
  expect((await registry.verify()).firstBroken).toBeUndefined();
}, 60_000);

test('appendIfHeadIs writes nothing and answers false when the head is no longer the one given', async () => {
  const db = await pglite.backend.open();
  const registry = new AccessRegistry(db, pglite.keys);
  await registry.ready();
  await registry.recordExchange(exchange('before'));
  const current = await head(db);
  const stale = { seq: current.seq - 1, hash: current.hash };
  const [{ count: before }] = (await db.query<{ count: unknown }>('SELECT count(*) AS count FROM registry_records')) as [{ count: unknown }];
  const records = chainedAfter(stale, [{ kind: 'exchange', details: { exchange: 'token' } }], new Date());
  await expect(appendIfHeadIs(db, stale, records)).resolves.toBe(false);
  const [{ count: after }] = (await db.query<{ count: unknown }>('SELECT count(*) AS count FROM registry_records')) as [{ count: unknown }];
  expect(Number(after)).toBe(Number(before));
  expect(await head(db)).toEqual(current);
  const fresh = chainedAfter(current, [{ kind: 'exchange', details: { exchange: 'token' } }, { kind: 'exchange', details: { exchange: 'userinfo' } }], new Date());
  await expect(appendIfHeadIs(db, current, fresh)).resolves.toBe(true);
  expect(await head(db)).toEqual({ seq: fresh[1]!.seq, hash: fresh[1]!.hash });
  expect((await registry.verify()).firstBroken).toBeUndefined();
}, 60_000);

test('on a PostgreSQL server (other instances write too) every batch stays the transaction that locks the head', async () => {
  const { wrapped, state } = counted(await pglite.backend.open(), 'postgres');
  const registry = new AccessRegistry(wrapped, pglite.keys);
  await registry.ready();
  const transactions = state.transactions;
  for (const index of [1, 2, 3]) await registry.recordExchange(exchange(`server-${index}`));
  expect(state.transactions - transactions).toBe(3);
  expect((await registry.verify()).firstBroken).toBeUndefined();
}, 60_000);

test('records that requests reach in the same turn of the event loop share one statement', async () => {
  const { wrapped, state } = counted(await pglite.backend.open());
  const registry = new AccessRegistry(wrapped, pglite.keys);
  await registry.ready();
  await registry.recordExchange(exchange('first'));
  const statements = state.statements;
  // Two requests' callbacks in one turn (their I/O read together), each writing its record.
  const records = await Promise.all([1, 2].map((index) => new Promise((resolve, reject) => setImmediate(() => registry.recordExchange(exchange(`turn-${index}`)).then(resolve, reject)))));
  expect(records).toHaveLength(2);
  expect(state.statements - statements).toBe(1);
  expect((await registry.verify()).firstBroken).toBeUndefined();
}, 60_000);

test('a one-statement batch the database refuses fails its callers and writes nothing; the registry forgets the head and the next batch takes the locked transaction', async () => {
  const db = await pglite.backend.open();
  const { wrapped, state } = counted(db);
  let refuse = false;
  const refusing: Database = { ...wrapped, runPrepared: (text, params) => (refuse ? Promise.reject(new Error('the statement failed')) : wrapped.runPrepared(text, params)) };
  const registry = new AccessRegistry(refusing, pglite.keys);
  await registry.ready();
  const first = await registry.recordExchange(exchange('before'));
  refuse = true;
  const outcomes = await Promise.allSettled([1, 2].map((index) => registry.recordExchange(exchange(`refused-${index}`))));
  expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
  expect(await head(db)).toEqual({ seq: first.seq, hash: first.hash });
  refuse = false;
  const transactions = state.transactions;
  const after = await registry.recordExchange(exchange('after'));
  expect(state.transactions).toBe(transactions + 1);
  expect(after.seq).toBe(first.seq + 1);
  expect((await registry.verify()).firstBroken).toBeUndefined();
}, 60_000);
