import { AccessRegistry } from '../../src/registry/access-registry.js';
import { appendIfHeadIs, chainedAfter } from '../../src/registry/chain-writer.js';
import type { Database } from '../../src/storage/database/database.js';
import { migrate } from '../../src/storage/database/migrate.js';
import { GENESIS_HASH, registryMigrations } from '../../src/registry/migrations.js';
import { loadRegistryKeys } from '../../src/registry/registry-keys.js';
import { pgliteBackend, postgresBackend, temporaryKeys, type RegistryBackend } from './support/registry-backends.js';
import { CITIZEN, newRegistry, OTHER_CITIZEN, recordLogin, testClock } from './support/registry-scenarios.js';

// The same behaviour on a real PostgreSQL server (spawned here, or DATABASE_URL) and on PGlite.
describe.each([['postgres'], ['pglite']] as const)('access registry on %s', (name) => {
  let backend: RegistryBackend;
  let db: Database;
  let keyDir: Awaited<ReturnType<typeof temporaryKeys>>;

  beforeAll(async () => {
    backend = name === 'postgres' ? await postgresBackend() : await pgliteBackend();
    db = await backend.open();
    keyDir = await temporaryKeys();
  }, 120_000);

  afterAll(async () => {
    await db?.close();
    await backend?.stop();
    await keyDir?.remove();
  }, 60_000);

  beforeEach(async () => {
    await migrate(db, registryMigrations);
    await db.query('TRUNCATE registry_records, registry_checkpoints');
    await db.query('UPDATE registry_head SET seq = 0, hash = $1', [GENESIS_HASH]);
  });

  test('migrations are versioned and run once', async () => {
    expect(await migrate(db, registryMigrations)).toEqual([]);
    const versions = await db.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version');
    expect(versions.map((row) => Number(row.version))).toEqual([1]);
  });

  test('a login is recorded; personal data is sealed and secrets are only hashed', async () => {
    const registry = await newRegistry(backend, keyDir.keys);
    await recordLogin(registry);
    const raw = JSON.stringify(await db.query('SELECT * FROM registry_records'));
    for (const secret of ['RSSMRA85T10A562S', 'Mario', 'Rossi', '0a1b2c3d', 'the-access-token', 'the-code', 'eyJhbGciOiJSUzI1NiJ9']) expect(raw).not.toContain(secret);

    const mine = await registry.listForAccount(CITIZEN);
    expect(mine.map((record) => record.kind)).toEqual(['exchange', 'exchange', 'consent', 'authentication']);
    const authentication = mine[3]!;
    expect(authentication.details).toMatchObject({ method: 'cie-card', outcome: 'authenticated', acr: 'https://www.spid.gov.it/SpidL3' });
    expect(authentication.personal).toMatchObject({ certificate_serial: '0a1b2c3d', attributes: { fiscal_code: 'RSSMRA85T10A562S' } });
    expect(mine[2]!.details).toMatchObject({ attributes: ['given_name', 'family_name'] });
    expect(mine[2]!.personal).toEqual({ released: { given_name: 'Mario', family_name: 'Rossi' } });
    expect(await registry.listForAccount(OTHER_CITIZEN)).toEqual([]);
  });

  test('an untouched chain verifies; an altered row is named', async () => {
    const registry = await newRegistry(backend, keyDir.keys);
    await recordLogin(registry);
    await recordLogin(registry, OTHER_CITIZEN);
    expect(await registry.verify()).toMatchObject({ ok: true, records: 8 });

    await db.query(`UPDATE registry_records SET details = replace(details, 'SpidL3', 'SpidL1') WHERE seq = 5`);
    expect((await registry.verify()).firstBroken).toEqual({ seq: 5, reason: 'content_altered' });
    expect(await registry.verify({ from: 1, to: 4 })).toMatchObject({ ok: true, records: 4 });
    expect((await registry.verify({ from: 6 })).firstBroken).toEqual({ seq: 5, reason: 'content_altered' });
  });

  test('a row re-hashed after alteration breaks the next link; a deleted row is a hole', async () => {
    const registry = await newRegistry(backend, keyDir.keys);
    await recordLogin(registry);
    // The last record: the chain's head still counts it.
    await db.query('DELETE FROM registry_records WHERE seq = 4');
    expect((await registry.verify()).firstBroken).toEqual({ seq: 4, reason: 'missing' });
    await db.query(`UPDATE registry_records SET client_id = 'https://other.example.it', hash = 'f' || substr(hash, 2) WHERE seq = 2`);
    expect((await registry.verify()).firstBroken).toMatchObject({ seq: 2 });
    await db.query('DELETE FROM registry_records WHERE seq = 2');
    expect((await registry.verify()).firstBroken).toEqual({ seq: 2, reason: 'missing' });
  });

  test('a chain rewritten after a signed checkpoint is caught by the checkpoint', async () => {
    const registry = await newRegistry(backend, keyDir.keys);
    await recordLogin(registry);
    const checkpoint = await registry.checkpoint();
    expect(checkpoint).toMatchObject({ seq: 4, kind: 'periodic' });
    // Rewrite record 3 and re-hash 3 and 4 consistently: only the signature at 4 can tell.
    const { recordHash, fromRow, RECORD_COLUMNS } = await import('../../src/registry/registry-record.js');
    await db.query(`UPDATE registry_records SET details = replace(details, '"status":200', '"status":400') WHERE seq = 3`);
    let previous = (await db.query<{ hash: string }>('SELECT hash FROM registry_records WHERE seq = 2'))[0]!.hash;
    for (const seq of [3, 4]) {
      const record = fromRow((await db.query(`SELECT ${RECORD_COLUMNS} FROM registry_records WHERE seq = $1`, [seq]))[0]!);
      const hash = recordHash({ ...record, prevHash: previous });
      await db.query('UPDATE registry_records SET prev_hash = $1, hash = $2 WHERE seq = $3', [previous, hash, seq]);
      previous = hash;
    }
    expect((await registry.verify()).firstBroken).toEqual({ seq: 4, reason: 'checkpoint_mismatch' });
    // A forged checkpoint (signature of another key) is named too.
    await db.query(`UPDATE registry_checkpoints SET hash = $1, jws = jws || 'x' WHERE seq = 4`, [previous]);
    expect((await registry.verify()).firstBroken).toEqual({ seq: 4, reason: 'checkpoint_invalid' });
  });

  test('the last records deleted and the head rewound to match are caught by the signed checkpoint they had', async () => {
    const registry = await newRegistry(backend, keyDir.keys);
    await recordLogin(registry);
    await recordLogin(registry, OTHER_CITIZEN);
    expect(await registry.checkpoint()).toMatchObject({ seq: 8 });
    // Truncate the chain to record 6 and make the head agree: every remaining link is intact.
    await db.query('DELETE FROM registry_records WHERE seq > 6');
    const [kept] = await db.query<{ hash: string }>('SELECT hash FROM registry_records WHERE seq = 6');
    await db.query('UPDATE registry_head SET seq = 6, hash = $1', [kept!.hash]);
    expect(await registry.verify()).toMatchObject({ ok: false, firstBroken: { seq: 7, reason: 'missing' } });
  });

  test('concurrent writers from two connections never fork the chain', async () => {
    const other = new AccessRegistry(await backend.openAnother(), keyDir.keys);
    const registry = await newRegistry(backend, keyDir.keys);
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? registry : other).recordExchange({ exchange: 'userinfo', clientId: `rp-${i}`, status: 200, hashes: {} })));
    const verified = await registry.verify();
    expect(verified).toMatchObject({ ok: true, records: 20, from: 1, to: 20 });
    if (backend.name === 'postgres') await other.close();
  });

  test('the purge removes records older than the retention and leaves the rest verifiable', async () => {
    const clock = testClock(new Date('2024-01-10T08:00:00Z'));
    const registry = await newRegistry(backend, keyDir.keys, clock);
    await recordLogin(registry);
    await registry.checkpoint();
    clock.set(new Date('2025-06-01T08:00:00Z'));
    await recordLogin(registry, OTHER_CITIZEN, 'https://rp.example.it', 'grant-2');
    clock.set(new Date('2026-02-01T08:00:00Z'));
    expect(await registry.purge(24)).toEqual({ removed: 4, cut: 4 });
    expect(await registry.listForAccount(CITIZEN)).toEqual([]);
    expect(await registry.listForAccount(OTHER_CITIZEN)).toHaveLength(4);
    expect(await registry.verify()).toMatchObject({ ok: true, from: 5, to: 9, records: 5 });
    const [purgeRecord] = await registry.extract({ requester: 'test', legalBasis: 'test', criteria: { clientId: undefined } }).then((all) => all.filter((r) => r.kind === 'purge'));
    expect(purgeRecord!.details).toMatchObject({ cut: 4, removed: 4, retention_months: 24 });
    expect(await registry.purge(24)).toEqual({ removed: 0 });

    // Without its signed anchor the first kept record proves nothing.
    await db.query(`UPDATE registry_checkpoints SET jws = jws || 'x' WHERE kind = 'purge'`);
    expect((await registry.verify()).firstBroken).toEqual({ seq: 5, reason: 'anchor_unproven' });
  });

  test('an extraction is itself a record, written before anything is read', async () => {
    const registry = await newRegistry(backend, keyDir.keys);
    await recordLogin(registry);
    await recordLogin(registry, OTHER_CITIZEN);
    const extracted = await registry.extract({ requester: 'dott.ssa Anna Bianchi, Procura di Roma', legalBasis: 'art. 256 c.p.p., decreto n. 123/2026', criteria: { accountId: CITIZEN } });
    expect(extracted.map((record) => record.seq)).toEqual([1, 2, 3, 4]);
    const [extraction] = await db.query<{ kind: string; details: string }>(`SELECT kind, details FROM registry_records WHERE kind = 'extraction'`);
    expect(JSON.parse(extraction!.details)).toMatchObject({ requester: 'dott.ssa Anna Bianchi, Procura di Roma', legal_basis: 'art. 256 c.p.p., decreto n. 123/2026', criteria: { by_citizen: true } });
    expect(JSON.stringify(extraction)).not.toContain('RSSMRA');
    expect((await registry.listForAccount(CITIZEN, ['extraction']))).toHaveLength(1);
    expect(await registry.verify()).toMatchObject({ ok: true, records: 9 });
  });

  test('records sealed under an older key still open after REGISTRY_KEY rotates it', async () => {
    const registry = await newRegistry(backend, keyDir.keys);
    await recordLogin(registry);
    const rotated = await loadRegistryKeys(keyDir.dir, false, Buffer.alloc(32, 7).toString('base64url'));
    const after = new AccessRegistry(db, rotated);
    await recordLogin(after);
    const keyIds = await db.query<{ key_id: string }>(`SELECT DISTINCT key_id FROM registry_records WHERE key_id IS NOT NULL`);
    expect(keyIds).toHaveLength(2);
    const mine = await after.listForAccount(CITIZEN);
    expect(mine.filter((record) => record.kind === 'consent').map((record) => record.personal)).toEqual([{ released: { given_name: 'Mario', family_name: 'Rossi' } }, { released: { given_name: 'Mario', family_name: 'Rossi' } }]);
    // The old registry, without the new key, refuses clearly.
    await expect(registry.listForAccount(CITIZEN)).rejects.toMatchObject({ code: 'registry_sealed' });
  });

  test('the one-statement append (a prepared statement) writes after the head it names, again with the same text, and nothing after a stale head', async () => {
    const entry = (exchange: string) => ({ kind: 'exchange' as const, details: { exchange } });
    const first = chainedAfter({ seq: 0, hash: GENESIS_HASH }, [entry('token'), entry('userinfo')], new Date());
    await expect(appendIfHeadIs(db, { seq: 0, hash: GENESIS_HASH }, first)).resolves.toBe(true);
    const head = { seq: first[1]!.seq, hash: first[1]!.hash };
    const second = chainedAfter(head, [entry('revocation'), entry('token')], new Date());
    await expect(appendIfHeadIs(db, head, second)).resolves.toBe(true);
    await expect(appendIfHeadIs(db, head, chainedAfter(head, [entry('stale'), entry('stale')], new Date()))).resolves.toBe(false);
    const rows = await db.query<{ seq: unknown; hash: string }>('SELECT seq, hash FROM registry_records ORDER BY seq');
    expect(rows.map((row) => [Number(row.seq), row.hash])).toEqual([...first, ...second].map((record) => [record.seq, record.hash]));
    expect((await new AccessRegistry(db, keyDir.keys).verify()).firstBroken).toBeUndefined();
  });
});
