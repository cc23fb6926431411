import { DEFAULT_SCRYPT_COST, PasswordHasher } from '../../src/credentials/password-hasher.js';
import { TEST_SCRYPT_COST } from './support/credentials-backends.js';

describe('password hashing (scrypt)', () => {
  const hasher = new PasswordHasher(TEST_SCRYPT_COST);

  test('the default cost is OWASP\'s scrypt floor: N=2^17, r=8, p=1 (128 MiB)', () => {
    expect(DEFAULT_SCRYPT_COST).toEqual({ logN: 17, r: 8, p: 1 });
  });

  test('a hash carries its cost and a fresh salt; the right password verifies, a wrong one does not', async () => {
    const first = await hasher.hash('Girasole2024x');
    const second = await hasher.hash('Girasole2024x');
    expect(first).toMatch(/^\$scrypt\$ln=10,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(first).not.toEqual(second);
    expect(await hasher.verify('Girasole2024x', first)).toEqual({ valid: true, needsRehash: false });
    expect(await hasher.verify('Girasole2024X', first)).toEqual({ valid: false, needsRehash: false });
  });

  test('the same password in another Unicode form verifies (NFKC)', async () => {
    const stored = await hasher.hash('Cafe\u0301Latte2024');
    expect((await hasher.verify('Caf\u00e9Latte2024', stored)).valid).toBe(true);
  });

  test('a hash made with another cost verifies and asks to be rehashed', async () => {
    const old = await new PasswordHasher({ logN: 9, r: 8, p: 1 }).hash('Girasole2024x');
    expect(await hasher.verify('Girasole2024x', old)).toEqual({ valid: true, needsRehash: true });
    expect(await hasher.verify('wrong', old)).toEqual({ valid: false, needsRehash: false });
  });

  test('a malformed or absurd stored hash is refused after the same work, never run', async () => {
    for (const stored of ['', 'plain', '$scrypt$ln=40,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', '$2b$10$abcdefghijklmnopqrstuu']) {
      expect(await hasher.verify('Girasole2024x', stored)).toEqual({ valid: false, needsRehash: false });
    }
  });

  test('the default cost really runs (one hash, no timing asserted)', async () => {
    const real = new PasswordHasher();
    const stored = await real.hash('Girasole2024x');
    expect(stored.startsWith('$scrypt$ln=17,r=8,p=1$')).toBe(true);
    expect((await real.verify('Girasole2024x', stored)).valid).toBe(true);
  }, 60_000);
});
