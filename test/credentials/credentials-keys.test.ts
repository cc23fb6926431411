import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CREDENTIALS_KEYS_FILE, indexOf, loadCredentialsKeys } from '../../src/credentials/credentials-keys.js';
import { open, seal } from '../../src/credentials/sealing.js';

describe('credentials keys', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'credentials-keys-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  test('generated once (mode 0600), the same keys on every later load', async () => {
    const first = await loadCredentialsKeys(dir, true);
    expect((await stat(join(dir, CREDENTIALS_KEYS_FILE))).mode & 0o777).toBe(0o600);
    const again = await loadCredentialsKeys(dir, false);
    expect(again.index.equals(first.index)).toBe(true);
    expect(indexOf(again, 'citizen', 'RSSMRA85T10A562S')).toBe(indexOf(first, 'citizen', 'RSSMRA85T10A562S'));
    expect(indexOf(first, 'citizen', 'X')).not.toBe(indexOf(first, 'username', 'X'));
  });

  test('missing without GENERATE_KEYS, or malformed: a typed error', async () => {
    await expect(loadCredentialsKeys(dir, false)).rejects.toMatchObject({ code: 'credentials_keys' });
    await writeFile(join(dir, CREDENTIALS_KEYS_FILE), JSON.stringify({ index: 'short', sealing: [{ kid: 'a', key: 'short' }] }));
    await expect(loadCredentialsKeys(dir, false)).rejects.toMatchObject({ code: 'credentials_keys' });
  });

  test('rotation: a new sealing key first seals, the old one still opens', async () => {
    const old = await loadCredentialsKeys(dir, true);
    const sealed = seal(old, { a: 1 }, 'identity:x');
    const file = JSON.parse(await readFile(join(dir, CREDENTIALS_KEYS_FILE), 'utf8')) as { sealing: unknown[] };
    file.sealing.unshift({ kid: 'c-new', key: Buffer.alloc(32, 7).toString('base64url') });
    await writeFile(join(dir, CREDENTIALS_KEYS_FILE), JSON.stringify(file));
    const rotated = await loadCredentialsKeys(dir, false);
    expect(seal(rotated, { b: 2 }, 'identity:x').startsWith('c-new.')).toBe(true);
    expect(open(rotated, sealed, 'identity:x')).toEqual({ a: 1 });
    expect(() => open(rotated, sealed, 'identity:y')).toThrow();
  });
});
