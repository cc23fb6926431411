import type { Database } from '../../../src/storage/database/database.js';
import { openTestPglite } from '../../support/pglite-template.js';

// runPrepared on the embedded database: a statement parsed once and then only bound and executed.
let db: Database;

beforeAll(async () => {
  db = await openTestPglite();
  await db.query('CREATE TABLE notes (id bigint PRIMARY KEY, body text)');
}, 120_000);

afterAll(() => db.close());

const INSERT = 'INSERT INTO notes (id, body) VALUES ($1::bigint, $2::text)';
const rows = () => db.query<{ id: unknown; body: string | null }>('SELECT id, body FROM notes ORDER BY id');

test('answers the rows written; the same text runs again with other values, which are bound, never read as SQL', async () => {
  await expect(db.runPrepared(INSERT, ['1', "it's; DROP TABLE notes; --"])).resolves.toBe(1);
  await expect(db.runPrepared(INSERT, ['2', null])).resolves.toBe(1);
  await expect(db.runPrepared('UPDATE notes SET body = $1::text WHERE id >= $2::bigint', ['same', '1'])).resolves.toBe(2);
  await expect(db.runPrepared('UPDATE notes SET body = $1::text WHERE id = $2::bigint', ['none', '99'])).resolves.toBe(0);
  expect((await rows()).map((row) => [Number(row.id), row.body])).toEqual([[1, 'same'], [2, 'same']]);
});

test("a run the database refuses rejects with the database's error, writes nothing, and the same text then runs", async () => {
  // The first run of a text fails after its parse: the next run must not trip over a half-prepared name.
  const text = 'INSERT INTO notes (id, body) VALUES ($1::bigint, $2::text) RETURNING id';
  await expect(db.runPrepared(text, ['1', 'duplicate'])).rejects.toThrow(/duplicate key/);
  await expect(db.runPrepared(text, ['3', 'three'])).resolves.toBe(1);
  await expect(db.runPrepared(text, ['3', 'again'])).rejects.toThrow(/duplicate key/);
  await expect(db.runPrepared(text, ['4', 'four'])).resolves.toBe(1);
  await expect(db.runPrepared('INSERT INTO no_such_table VALUES ($1::text)', ['x'])).rejects.toThrow(/no_such_table/);
  expect((await rows()).map((row) => Number(row.id))).toEqual([1, 2, 3, 4]);
});

test("never runs inside another caller's open transaction: it waits for it, and that transaction's rollback does not take it along", async () => {
  let release: () => void = () => undefined;
  let inserted: () => void = () => undefined;
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  const open = new Promise<void>((resolve) => {
    inserted = resolve;
  });
  const other = db.transaction(async (sql) => {
    await sql.query('INSERT INTO notes (id, body) VALUES (10, $1)', ['rolled back']);
    inserted();
    await held;
    throw new Error('the other caller gives up');
  });
  // Started while the transaction is open, its INSERT done.
  await open;
  const mine = db.runPrepared(INSERT, ['11', 'mine']);
  release();
  await expect(other).rejects.toThrow('gives up');
  await expect(mine).resolves.toBe(1);
  expect((await rows()).filter((row) => Number(row.id) >= 10).map((row) => [Number(row.id), row.body])).toEqual([[11, 'mine']]);
});

test('more texts than it keeps prepared still run, each parsed at its run', async () => {
  const texts = Array.from({ length: 300 }, (_, index) => `UPDATE notes SET body = $1::text WHERE id = $2::bigint AND ${index} >= 0`);
  for (const text of texts) await expect(db.runPrepared(text, ['many', '1'])).resolves.toBe(1);
  // The first ones (prepared) and the last ones (beyond the limit) both run again.
  await expect(db.runPrepared(texts[0]!, ['first', '1'])).resolves.toBe(1);
  await expect(db.runPrepared(texts[299]!, ['last', '2'])).resolves.toBe(1);
  expect((await rows()).slice(0, 2).map((row) => row.body)).toEqual(['first', 'last']);
});
