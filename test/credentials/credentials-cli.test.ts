import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCredentialsCli } from '../../src/credentials/cli.js';
import { credentialsMigrations } from '../../src/credentials/credentials-migrations.js';
import { seedEmbeddedDatabase } from '../support/pglite-template.js';

test('cie-credentials migrate applies the credentials set once (then "up to date"); keys creates the key file 0600', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cie-credentials-cli-'));
  await seedEmbeddedDatabase(join(dir, 'db'));
  const env = { REGISTRY_DIR: join(dir, 'db'), KEYS_DIR: join(dir, 'keys'), DATABASE_URL: '', DATABASE_OWNER_URL: '' };
  const lines: string[] = [];
  const io = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(`ERR ${line}`) };
  try {
    expect(await runCredentialsCli(['migrate'], env, io)).toBe(0);
    expect(await runCredentialsCli(['migrate'], env, io)).toBe(0);
    expect(lines).toEqual([`applied credentials migrations ${credentialsMigrations.steps.map((step) => step.version).join(', ')}`, 'credentials schema up to date']);
    expect(await runCredentialsCli(['keys'], env, io)).toBe(0);
    expect((await stat(join(dir, 'keys', 'credentials-keys.json'))).mode & 0o777).toBe(0o600);
    expect(await runCredentialsCli(['bogus'], env, io)).toBe(1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 180_000);
