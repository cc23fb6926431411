import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = process.cwd();
export const SERVER_ENTRY = join(ROOT, 'dist', 'src', 'server.js');

function newestSourceMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceMs(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * `dist/src/server.js` compiled from the current sources. `npm test` emits dist/ while it type-checks,
 * so in CI this costs nothing; a single test run by hand on stale sources rebuilds once (~30 s).
 */
export async function ensureBuiltEntryPoint(): Promise<string> {
  if (existsSync(SERVER_ENTRY) && statSync(SERVER_ENTRY).mtimeMs >= newestSourceMs(join(ROOT, 'src'))) return SERVER_ENTRY;
  const tsc = spawn(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
  const [code] = (await once(tsc, 'exit')) as [number | null];
  // Exit code 2 = type errors with the files still emitted; `npm run lint` is where those fail.
  if ((code !== 0 && code !== 2) || !existsSync(SERVER_ENTRY)) throw new Error(`building dist/ failed (tsc exit code ${code}): run \`npm run build\``);
  return SERVER_ENTRY;
}
