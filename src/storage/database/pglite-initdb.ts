import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** initdb takes seconds, tens on a loaded machine; one that never ends must not hold the start forever. */
const INITDB_LIMIT_MS = 300_000;
// CommonJS, so the child needs no module resolution of its own: it is handed the package's file.
const INITDB_SCRIPT = 'const { PGlite } = require(process.argv[1]); PGlite.create(process.argv[2]).then((db) => db.close())';

/**
 * Creates the embedded database's cluster in `dir` (initdb), if it has none yet, in a short-lived
 * child process. PGlite runs initdb in a WebAssembly instance of its own, whose memory the process
 * keeps after it (about 400 MiB resident, measured: docs/benchmarks.md, session 9): done in a child,
 * that memory goes back to the system when the child ends, and the provider opens a ready cluster.
 */
export async function initdbOutOfProcess(dir: string): Promise<void> {
  // PGlite's own test for an existing cluster.
  if (existsSync(join(dir, 'PG_VERSION'))) return;
  const pglite = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  try {
    await run(process.execPath, ['-e', INITDB_SCRIPT, pglite, dir], { timeout: INITDB_LIMIT_MS, maxBuffer: 1024 * 1024 });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').slice(-2000);
    throw new Error(`initdb of the embedded database in ${dir} failed: ${(error as Error).message}${stderr ? `: ${stderr}` : ''}`, { cause: error });
  }
}
