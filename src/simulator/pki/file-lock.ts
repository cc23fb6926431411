import { open, rm, stat } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { PkiError } from './pki-error.js';

const RETRY_MS = 10;
const GIVE_UP_MS = 5_000;
/** A lock older than this was left by a process that died while holding it. */
const STALE_MS = 30_000;

/**
 * Runs `work` while holding an exclusive lock file, so that the CLI and a test process never
 * interleave read-modify-write cycles on the same state file. O_EXCL creation is atomic on POSIX.
 */
export async function withFileLock<T>(lockPath: string, work: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + GIVE_UP_MS;
  for (;;) {
    try {
      await (await open(lockPath, 'wx')).close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (await isStale(lockPath)) {
        await rm(lockPath, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new PkiError('PKI_STATE_LOCKED', `the PKI state is locked by another process (${lockPath})`);
      await delay(RETRY_MS);
    }
  }
  try {
    return await work();
  } finally {
    await rm(lockPath, { force: true });
  }
}

async function isStale(lockPath: string): Promise<boolean> {
  try {
    return Date.now() - (await stat(lockPath)).mtimeMs > STALE_MS;
  } catch {
    return false;
  }
}
