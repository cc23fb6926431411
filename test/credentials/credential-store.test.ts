import { CredentialStore } from '../../src/credentials/credential-store.js';
import { DEFAULT_LOCKOUT_POLICY, delayAfter, recordFailure, type FailureRecord } from '../../src/credentials/lockout-policy.js';
import { newCredentialsKeys } from '../../src/credentials/credentials-keys.js';
import { credentialsMigrations } from '../../src/credentials/credentials-migrations.js';
import { migrate } from '../../src/storage/database/migrate.js';
import { CITIZEN, credentialsBackend, OTHER_CITIZEN, type CredentialsBackend } from './support/credentials-backends.js';

// The same behaviour on a real PostgreSQL server (spawned here, or DATABASE_URL) and on PGlite.
describe.each([['postgres'], ['pglite']] as const)('credential store on %s', (kind) => {
  let backend: CredentialsBackend;
  const keys = newCredentialsKeys();
  let store: CredentialStore;

  beforeAll(async () => {
    backend = await credentialsBackend(kind);
    store = new CredentialStore(backend.db, keys);
  }, 120_000);
  afterAll(async () => backend?.stop(), 60_000);
  beforeEach(async () => backend.clear());

  test('the migration set is its own owner\'s and runs once', async () => {
    expect(await migrate(backend.db, credentialsMigrations)).toEqual([]);
    const rows = await backend.db.query<{ owner: string; version: number }>("SELECT owner, version FROM schema_migrations WHERE owner = 'credentials' ORDER BY version");
    expect(rows.map((row) => Number(row.version))).toEqual(credentialsMigrations.steps.map((step) => step.version));
  });

  test('identity and e-mail are sealed; fiscal code and username only as HMACs', async () => {
    const index = await store.saveIdentity(CITIZEN);
    await store.setEmail(index, 'mario.rossi@example.it');
    await store.setPassword(index, { kind: 'email', value: 'mario.rossi@example.it' }, '$scrypt$ln=10,r=8,p=1$x$y');
    const raw = JSON.stringify([...(await backend.db.query('SELECT * FROM credential_citizens')), ...(await backend.db.query('SELECT * FROM credential_passwords'))]);
    for (const secret of ['RSSMRA85T10A562S', 'Mario', 'Rossi', 'mario.rossi@example.it']) expect(raw).not.toContain(secret);
    expect(await store.citizen(CITIZEN.fiscalCode)).toEqual({ citizenIndex: index, identity: CITIZEN, email: 'mario.rossi@example.it', emailConfirmed: false });
    await store.confirmEmail(index);
    expect((await store.passwordFor({ kind: 'email', value: 'mario.rossi@example.it' }))?.citizen.emailConfirmed).toBe(true);
  });

  test('a sealed value copied to another citizen\'s row does not open', async () => {
    const mine = await store.saveIdentity(CITIZEN);
    const theirs = await store.saveIdentity(OTHER_CITIZEN);
    await backend.db.query('UPDATE credential_citizens SET identity_sealed = (SELECT identity_sealed FROM credential_citizens WHERE citizen_index = $1) WHERE citizen_index = $2', [mine, theirs]);
    await expect(store.citizenByIndex(theirs)).rejects.toThrow();
  });

  test('a new e-mail is unconfirmed and kills the codes sent to the old one', async () => {
    const index = await store.saveIdentity(CITIZEN);
    await store.setEmail(index, 'old@example.it');
    await store.confirmEmail(index);
    await store.putCode({ codeId: 'c1', citizenIndex: index, purpose: 'confirm_contact', codeHash: 'h', expiresAt: new Date(Date.now() + 60_000) });
    await store.setEmail(index, 'new@example.it');
    expect(await store.citizen(CITIZEN.fiscalCode)).toMatchObject({ email: 'new@example.it', emailConfirmed: false });
    expect(await store.attemptCode('c1', index, 'confirm_contact')).toBeUndefined();
  });

  test('a username belongs to one citizen; no password without the card-made record', async () => {
    const mine = await store.saveIdentity(CITIZEN);
    const theirs = await store.saveIdentity(OTHER_CITIZEN);
    await store.setPassword(mine, { kind: 'email', value: 'shared@example.it' }, 'h1');
    await expect(store.setPassword(theirs, { kind: 'email', value: 'shared@example.it' }, 'h2')).rejects.toMatchObject({ code: 'username_taken' });
    await expect(store.setPassword(store.citizenIndex('XXXXXX00X00X000X'), { kind: 'fiscal_code', value: 'XXXXXX00X00X000X' }, 'h3')).rejects.toMatchObject({ code: 'no_identity' });
    await store.setPassword(mine, { kind: 'fiscal_code', value: CITIZEN.fiscalCode }, 'h4');
    expect(await store.passwordFor({ kind: 'email', value: 'shared@example.it' })).toBeUndefined();
    expect((await store.passwordFor({ kind: 'fiscal_code', value: CITIZEN.fiscalCode }))?.passwordHash).toBe('h4');
  });

  test('a rehash does not overwrite a password changed meanwhile', async () => {
    const index = await store.saveIdentity(CITIZEN);
    const username = { kind: 'fiscal_code', value: CITIZEN.fiscalCode } as const;
    await store.setPassword(index, username, 'old');
    await store.setPassword(index, username, 'changed');
    await store.replacePasswordHash(index, 'old', 'rehashed-old');
    expect((await store.passwordFor(username))?.passwordHash).toBe('changed');
  });

  test('failure counts per username, purged when old', async () => {
    await store.saveFailures('u1', { failures: 3, lastFailureAt: 1_000, lockedUntil: 2_000 });
    await store.saveFailures('u2', { failures: 1, lastFailureAt: Date.now(), lockedUntil: Date.now() });
    expect(await store.failures('u1')).toEqual({ failures: 3, lastFailureAt: 1_000, lockedUntil: 2_000 });
    expect(await store.purgeFailures(new Date(Date.now() - 60_000))).toBe(1);
    expect(await store.failures('u1')).toBeUndefined();
    await store.clearFailures('u2');
    expect(await store.failures('u2')).toBeUndefined();
  });

  test('failures counted in the database follow the pure policy, concurrent ones all count, an old count starts again', async () => {
    const wait = (now: number) => (failures: number) => now + delayAfter(failures, DEFAULT_LOCKOUT_POLICY) * 1000;
    let model: FailureRecord | undefined;
    let now = 10_000_000;
    for (let i = 0; i < 8; i++, now += 1000) {
      model = recordFailure(model, now);
      expect(await store.countFailure('seq', now, now - 86_400_000, wait(now))).toEqual(model);
    }
    expect(await store.failures('seq')).toEqual(model);
    await Promise.all(Array.from({ length: 10 }, () => store.countFailure('burst', now, now - 86_400_000, wait(now))));
    expect((await store.failures('burst'))?.failures).toBe(10);
    const dayLater = now + 86_400_001;
    expect(await store.countFailure('burst', dayLater, dayLater - 86_400_000, wait(dayLater))).toEqual({ failures: 1, lastFailureAt: dayLater, lockedUntil: dayLater });
  });

  test('passkeys: stored per citizen, counter recorded only from the expected value, removable by their owner only', async () => {
    const mine = await store.saveIdentity(CITIZEN);
    const theirs = await store.saveIdentity(OTHER_CITIZEN);
    await store.addPasskey({ credentialId: 'cred-1', citizenIndex: mine, publicKey: new Uint8Array([1, 2, 3]), counter: 0, transports: ['internal', 'hybrid'], deviceType: 'multiDevice', backedUp: true, label: 'telefono' });
    await expect(store.addPasskey({ credentialId: 'cred-1', citizenIndex: theirs, publicKey: new Uint8Array([9]), counter: 0, transports: [], deviceType: 'singleDevice', backedUp: false, label: '' })).rejects.toThrow();
    expect(await store.passkey('cred-1')).toMatchObject({ citizenIndex: mine, publicKey: new Uint8Array([1, 2, 3]), transports: ['internal', 'hybrid'], counter: 0 });
    expect(await store.recordPasskeyUse('cred-1', 0, 5, new Date())).toBe(true);
    expect(await store.recordPasskeyUse('cred-1', 0, 6, new Date())).toBe(false);
    expect((await store.passkey('cred-1'))?.counter).toBe(5);
    expect(await store.removePasskey(theirs, 'cred-1')).toBe(false);
    expect(await store.passkeysOf(mine)).toHaveLength(1);
    expect(await store.removePasskey(mine, 'cred-1')).toBe(true);
  });

  test('removing a citizen removes everything of theirs', async () => {
    const index = await store.saveIdentity(CITIZEN);
    await store.setEmail(index, 'a@example.it');
    await store.setPassword(index, { kind: 'email', value: 'a@example.it' }, 'h');
    await store.addPasskey({ credentialId: 'cred-2', citizenIndex: index, publicKey: new Uint8Array([1]), counter: 0, transports: [], deviceType: 'singleDevice', backedUp: false, label: '' });
    await store.putCode({ codeId: 'c2', citizenIndex: index, purpose: 'second_factor', codeHash: 'h', expiresAt: new Date(Date.now() + 60_000) });
    await store.removeCitizen(index);
    for (const table of ['credential_citizens', 'credential_passwords', 'credential_passkeys', 'credential_email_codes']) {
      expect(await backend.db.query(`SELECT 1 FROM ${table}`)).toEqual([]);
    }
  });
});
