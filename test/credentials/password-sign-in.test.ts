import { jest } from '@jest/globals';
import { MemoryStateStore } from '../../src/storage/state/memory-state-store.js';
import { PasswordHasher } from '../../src/credentials/password-hasher.js';
import { PasswordSignIn } from '../../src/credentials/password-sign-in.js';
import { ACR } from '../../src/oidc/acr.js';
import { CITIZEN, useCredentialsBackend } from './support/credentials-backends.js';
import { credentialsWorld } from './support/credentials-world.js';

describe('password sign-in (first factor)', () => {
  const backend = useCredentialsBackend('pglite');

  test('activation after a card sign-in: the password signs in only once the e-mail is confirmed', async () => {
    const world = credentialsWorld(backend);
    const codeId = await world.activation.begin(world.cardProof, { usernameKind: 'email', email: ' Mario.Rossi@Example.it ', password: 'Girasole2024x' }, 'it');
    expect(world.outbox.list('mario.rossi@example.it')).toHaveLength(1);
    expect(await world.signIn.attempt('mario.rossi@example.it', 'Girasole2024x')).toEqual({ ok: false, code: 'invalid_credentials' });
    await world.activation.confirm(world.cardProof, codeId, world.lastCode('mario.rossi@example.it'));
    const outcome = await world.signIn.attempt('MARIO.ROSSI@example.it', 'Girasole2024x');
    expect(outcome).toMatchObject({ ok: true, citizen: { identity: CITIZEN, emailConfirmed: true } });
  });

  test('activation needs a level-3 proof and a password of the policy', async () => {
    const world = credentialsWorld(backend);
    const request = { usernameKind: 'fiscal_code' as const, email: 'a@example.it', password: 'Girasole2024x' };
    await expect(world.activation.begin({ ...world.cardProof, acr: ACR.L2 }, request, 'it')).rejects.toMatchObject({ code: 'card_sign_in_required' });
    await expect(world.activation.begin(world.cardProof, { ...request, password: 'girasole' }, 'it')).rejects.toMatchObject({ code: 'password_policy', details: { violations: expect.arrayContaining(['too_short', 'no_upper_case', 'no_digit']) } });
    await expect(world.activation.begin(world.cardProof, { ...request, email: 'not-an-address' }, 'it')).rejects.toMatchObject({ code: 'invalid_email' });
  });

  test('the fiscal code as username, typed in any case', async () => {
    const world = credentialsWorld(backend);
    const codeId = await world.activation.begin(world.cardProof, { usernameKind: 'fiscal_code', email: 'a@example.it', password: 'Girasole2024x' }, 'en');
    await world.activation.confirm(world.cardProof, codeId, world.lastCode('a@example.it'));
    expect((await world.signIn.attempt(CITIZEN.fiscalCode.toLowerCase(), 'Girasole2024x')).ok).toBe(true);
    expect((await world.signIn.attempt('a@example.it', 'Girasole2024x')).ok).toBe(false);
  });

  test('an unknown user, a wrong password and a malformed username get the same answer', async () => {
    const world = credentialsWorld(backend);
    await world.activated();
    for (const [username, password] of [['mario.rossi@example.it', 'Wrong2024xx'], ['nobody@example.it', 'Girasole2024x'], ['???', 'Girasole2024x'], ['mario.rossi@example.it', `${'A1a'.repeat(100)}`]]) {
      expect(await world.signIn.attempt(username!, password!)).toEqual({ ok: false, code: 'invalid_credentials' });
    }
  });

  test('brute force: after 5 free failures the username waits, known or not, and the wait is capped', async () => {
    const world = credentialsWorld(backend);
    await world.activated();
    for (const username of ['mario.rossi@example.it', 'nobody@example.it']) {
      for (let i = 0; i < 5; i++) expect(await world.signIn.attempt(username, `Wrong2024x${i}`)).toEqual({ ok: false, code: 'invalid_credentials' });
      expect(await world.signIn.attempt(username, 'Wrong2024x5')).toEqual({ ok: false, code: 'invalid_credentials' });
      expect(await world.signIn.attempt(username, 'Girasole2024x')).toEqual({ ok: false, code: 'account_throttled', retryAfterSeconds: 30 });
    }
    world.clock.now += 30_000;
    expect((await world.signIn.attempt('mario.rossi@example.it', 'Girasole2024x')).ok).toBe(true);
  });

  test('a card sign-in clears the waiting', async () => {
    const world = credentialsWorld(backend);
    await world.activated();
    for (let i = 0; i < 9; i++) await world.signIn.attempt('mario.rossi@example.it', `Wrong2024x${i}`);
    expect(await world.signIn.attempt('mario.rossi@example.it', 'Girasole2024x')).toMatchObject({ code: 'account_throttled' });
    await world.signIn.recoverAfterCardSignIn(CITIZEN.fiscalCode);
    expect((await world.signIn.attempt('mario.rossi@example.it', 'Girasole2024x')).ok).toBe(true);
  });

  test('with a recovery store a card sign-in only leaves a mark (no database statement); a throttled username of that citizen may then try again, once', async () => {
    const world = credentialsWorld(backend);
    await world.activated();
    const marks = new MemoryStateStore();
    const signIn = new PasswordSignIn(world.store, world.hasher, undefined, () => world.clock.now, marks);
    for (let i = 0; i < 9; i++) await signIn.attempt('mario.rossi@example.it', `Wrong2024x${i}`);
    expect(await signIn.attempt('mario.rossi@example.it', 'Girasole2024x')).toMatchObject({ code: 'account_throttled' });
    const statements = jest.spyOn(backend.db, 'query');
    world.clock.now += 1000;
    await signIn.recoverAfterCardSignIn(CITIZEN.fiscalCode);
    expect(statements).not.toHaveBeenCalled();
    statements.mockRestore();
    expect((await signIn.attempt('mario.rossi@example.it', 'Girasole2024x')).ok).toBe(true);
    await marks.close();
  });

  test('a card sign-in older than the last failure does not lift the waiting', async () => {
    const world = credentialsWorld(backend);
    await world.activated();
    const marks = new MemoryStateStore();
    const signIn = new PasswordSignIn(world.store, world.hasher, undefined, () => world.clock.now, marks);
    await signIn.recoverAfterCardSignIn(CITIZEN.fiscalCode);
    world.clock.now += 1000;
    for (let i = 0; i < 9; i++) await signIn.attempt('mario.rossi@example.it', `Wrong2024x${i}`);
    expect(await signIn.attempt('mario.rossi@example.it', 'Girasole2024x')).toMatchObject({ code: 'account_throttled' });
    await marks.close();
  });

  test('a hash of an older cost is replaced by today\'s after a successful sign-in', async () => {
    const world = credentialsWorld(backend, { cost: { logN: 9, r: 8, p: 1 } });
    await world.activated();
    const stronger = new PasswordSignIn(world.store, new PasswordHasher({ logN: 10, r: 8, p: 1 }));
    expect((await stronger.attempt('mario.rossi@example.it', 'Girasole2024x')).ok).toBe(true);
    const [row] = await backend.db.query<{ password_hash: string }>('SELECT password_hash FROM credential_passwords');
    expect(row!.password_hash).toMatch(/^\$scrypt\$ln=10,/);
  });

  test('no user enumeration by timing: unknown users cost what known users with a wrong password cost (ratio of medians)', async () => {
    // A cost where the hash dominates, as it does in production; interleaved so load hits both alike.
    const world = credentialsWorld(backend, { cost: { logN: 13, r: 8, p: 1 } });
    await world.activated();
    const known: number[] = [];
    const unknown: number[] = [];
    const time = async (username: string, into: number[]) => {
      const started = process.hrtime.bigint();
      await world.signIn.attempt(username, 'Wrong2024xx');
      into.push(Number(process.hrtime.bigint() - started));
      await world.store.clearFailures(world.store.usernameIndex({ kind: 'email', value: username }));
    };
    for (let i = 0; i < 15; i++) {
      await time('mario.rossi@example.it', known);
      await time(`nobody${i}@example.it`, unknown);
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const ratio = median(unknown) / median(known);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  }, 60_000);
});
