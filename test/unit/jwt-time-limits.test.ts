import { replayTtlCap, validUntil } from '../../src/oidc/jwt-time-limits.js';

const now = 1_000_000;
const rules = { maxLifetime: 600, clockTolerance: 15, now, expRequired: true, iatRequired: true };

test('validUntil: exp when iat, exp and the lifetime are within the limits', () => {
  expect(validUntil({ iat: now, exp: now + 60 }, rules)).toBe(now + 60);
  expect(validUntil({ iat: now + 15, exp: now + 615 }, rules)).toBe(now + 615);
});

test('validUntil: refuses iat in the future, a lifetime or an exp beyond the maximum, expiry, and missing or non-numeric times', () => {
  const problem = (claims: Record<string, unknown>, overrides = {}) => (validUntil(claims, { ...rules, ...overrides }) as { problem?: string }).problem;
  expect(problem({ iat: now + 16, exp: now + 60 })).toMatch(/future/);
  expect(problem({ iat: now, exp: now + 601 })).toMatch(/lifetime/);
  expect(problem({ exp: now + 616 }, { iatRequired: false })).toMatch(/ahead/);
  expect(problem({ iat: now - 700, exp: now - 100 })).toMatch(/expired/);
  expect(problem({ exp: now + 60 })).toMatch(/iat is required/);
  expect(problem({ iat: now })).toMatch(/exp is required/);
  expect(problem({ iat: String(now), exp: now + 60 })).toMatch(/number/);
});

test('validUntil: without exp (legacy request objects) the request is valid for the maximum lifetime from iat', () => {
  expect(validUntil({ iat: now - 100 }, { ...rules, expRequired: false })).toBe(now + 500);
  expect((validUntil({ iat: now - 700 }, { ...rules, expRequired: false }) as { problem: string }).problem).toMatch(/expired/);
});

test('replayTtlCap: the longer lifetime plus the tolerance at both ends', () => {
  expect(replayTtlCap({ requestObjectMaxLifetime: 600, clientAssertionMaxLifetime: 300, clockTolerance: 15 })).toBe(630);
});
