import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, mkdir, readFile, readdir, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import lockfile from 'proper-lockfile';
import type { Database } from '../../src/storage/database/database.js';
import { openPgliteFromDump } from '../../src/storage/database/pglite-database.js';

/**
 * Every fresh embedded database costs an initdb (4–8 s of CPU); the suite creates dozens. Tests start
 * theirs from one template cluster instead, made once per machine and PGlite build (the key): a
 * directory copy (~0.2 s) for stacks that open REGISTRY_DIR, a dump loaded in memory (~1 s) for the
 * rest. The template is an empty cluster, so every test still runs the migrations itself.
 * Production never sees it: the directory is seeded by the test before the provider opens it (for the
 * provider an existing cluster, as after its own first start), and the dump goes through
 * openPgliteFromDump, which only tests call (docs/testing.md).
 */
const run = promisify(execFile);
const pglite = createRequire(import.meta.url).resolve('@electric-sql/pglite');
const BUILD_LIMIT_MS = 300_000;

/** The PGlite build the template was made by: its package.json, found above the resolved entry point. */
function pgliteBuildKey(): string {
  let dir = dirname(pglite);
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return createHash('sha256').update(readFileSync(join(dir, 'package.json'))).digest('hex').slice(0, 16);
}

const ROOT = join(tmpdir(), `cie-pglite-template-${pgliteBuildKey()}`);
const CLUSTER = join(ROOT, 'cluster');
const DUMP = join(ROOT, 'cluster.tar');

// initdb in a child (its WebAssembly memory goes with it), then the dump of the closed cluster's files.
const BUILD_SCRIPT = `const { PGlite } = require(process.argv[1]);
(async () => {
  const db = await PGlite.create(process.argv[2]);
  const dump = await db.dumpDataDir('none');
  await db.close();
  require('node:fs').writeFileSync(process.argv[3], Buffer.from(await dump.arrayBuffer()));
})().catch((error) => { console.error(error); process.exit(1); });`;

async function build(): Promise<void> {
  const building = `${ROOT}.building-${process.pid}`;
  await rm(building, { recursive: true, force: true });
  await mkdir(building, { recursive: true });
  await run(process.execPath, ['-e', BUILD_SCRIPT, pglite, join(building, 'cluster'), join(building, 'cluster.tar')], { timeout: BUILD_LIMIT_MS });
  // Whole or not at all: the template appears under its name only once both parts are written.
  await rename(building, ROOT);
}

let ready: Promise<void> | undefined;

/** Makes the template if this machine has none yet; one process builds it while the others wait. */
function template(): Promise<void> {
  ready ??= (async () => {
    if (existsSync(DUMP)) return;
    await mkdir(tmpdir(), { recursive: true });
    const release = await lockfile.lock(ROOT, { realpath: false, lockfilePath: `${ROOT}.lock`, stale: 30_000, update: 5_000, retries: { retries: 1_000, minTimeout: 200, maxTimeout: 500 } });
    try {
      if (!existsSync(DUMP)) await build();
    } finally {
      await release();
    }
  })();
  ready.catch(() => {
    ready = undefined;
  });
  return ready;
}

async function copyTree(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true, mode: 0o700 });
  const entries = await readdir(from, { withFileTypes: true });
  await Promise.all(entries.map((entry) => (entry.isDirectory() ? copyTree(join(from, entry.name), join(to, entry.name)) : copyFile(join(from, entry.name), join(to, entry.name)))));
}

/**
 * Puts the template cluster into `dir` (a stack's REGISTRY_DIR, not created yet), so the provider
 * opening it finds a cluster and skips its initdb.
 */
export async function seedEmbeddedDatabase(dir: string): Promise<void> {
  if (existsSync(dir)) throw new Error(`${dir} exists: only a directory the test has not created yet is seeded`);
  await template();
  await copyTree(CLUSTER, dir);
}

/** A fresh in-memory PGlite, started from the template instead of an initdb. */
export async function openTestPglite(): Promise<Database> {
  await template();
  return openPgliteFromDump(new Blob([await readFile(DUMP)]));
}
