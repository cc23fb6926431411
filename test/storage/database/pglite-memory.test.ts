import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPglite } from '../../../src/storage/database/pglite-database.js';
import { initdbOutOfProcess } from '../../../src/storage/database/pglite-initdb.js';

// The embedded database's memory: initdb in a child process, a 16 MB buffer pool (docs/registry.md, "Memory").
let parent: string;
beforeAll(async () => {
  parent = await mkdtemp(join(tmpdir(), 'cie-pglite-memory-'));
});
afterAll(async () => {
  await rm(parent, { recursive: true, force: true });
});

test('initdb runs in a child process: the cluster is created, and this process holds none of its WebAssembly memory', async () => {
  const dir = join(parent, 'fresh');
  const external = process.memoryUsage().external;
  await initdbOutOfProcess(dir);
  expect(existsSync(join(dir, 'PG_VERSION'))).toBe(true);
  // In this process PGlite's initdb keeps about 400 MiB of WebAssembly memory (external to the JS heap).
  expect(process.memoryUsage().external - external).toBeLessThan(100 * 2 ** 20);
  // A cluster already there is left alone.
  await expect(initdbOutOfProcess(dir)).resolves.toBeUndefined();
}, 300_000);

test('a fresh directory opens as a database with a 16 MB buffer pool, and what it holds survives a reopen', async () => {
  const dir = join(parent, 'opened');
  const db = await openPglite(dir);
  try {
    expect(await db.query<{ shared_buffers: string }>('SHOW shared_buffers')).toEqual([{ shared_buffers: '16MB' }]);
    await db.query('CREATE TABLE kept (value text)');
    await db.query('INSERT INTO kept VALUES ($1)', ['still here']);
  } finally {
    await db.close();
  }
  const reopened = await openPglite(dir);
  try {
    expect(await reopened.query<{ value: string }>('SELECT value FROM kept')).toEqual([{ value: 'still here' }]);
  } finally {
    await reopened.close();
  }
}, 300_000);

test('an initdb that cannot create its cluster rejects, naming the directory', async () => {
  const notADirectory = join(parent, 'a-file');
  await writeFile(notADirectory, 'not a database');
  await expect(initdbOutOfProcess(notADirectory)).rejects.toThrow(notADirectory);
}, 300_000);
