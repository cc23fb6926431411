import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface KeyFileOptions<File> {
  /** GENERATE_KEYS: write a fresh file when it is missing. */
  generate: boolean;
  fresh: () => File | Promise<File>;
  /** The room's typed error for an unreadable or missing file. */
  fail: (detail: string) => Error;
}

/**
 * A room's key file in KEYS_DIR (mode 0600, apart from its database): read as JSON, or written fresh
 * when missing and `generate` is true. The room checks the shape (its own docs name the fields).
 */
export async function readOrCreateKeyFile<File>(keysDir: string, fileName: string, options: KeyFileOptions<File>): Promise<{ path: string; file: File }> {
  const path = join(keysDir, fileName);
  try {
    return { path, file: JSON.parse(await readFile(path, 'utf8')) as File };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw options.fail(`cannot read ${path}: ${(error as Error).message}`);
    if (!options.generate) throw options.fail(`missing ${path} (GENERATE_KEYS=false)`);
  }
  const file = await options.fresh();
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  try {
    // 'wx': of two processes starting together, the second never overwrites the first's keys; it reads them.
    await writeFile(path, JSON.stringify(file, null, 2), { mode: 0o600, flag: 'wx' });
    return { path, file };
  } catch (writeError) {
    if ((writeError as NodeJS.ErrnoException).code !== 'EEXIST') throw writeError;
    return readOrCreateKeyFile(keysDir, fileName, { ...options, generate: false });
  }
}
