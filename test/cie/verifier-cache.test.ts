import { KeyObject, generateKeyPairSync } from 'node:crypto';
import { buildAssertion } from './fixtures/assertions.js';
import { createTestPki, type TestPki } from './fixtures/test-pki.js';
import { createHarness, rejectionOf, type Harness } from './fixtures/verifier-harness.js';

// A certificate that passed once is remembered, so a returning card skips decoding and path
// building; everything that depends on the assertion (challenge, origin, signature) or on time
// (validity, revocation) is still checked every time.
let pki: TestPki;
let cardKey: KeyObject;

beforeAll(async () => {
  pki = await createTestPki();
  cardKey = KeyObject.from(pki.card.keys.privateKey);
});

function assertion(harness: Harness, overrides: Parameters<typeof buildAssertion>[3] = {}, key = cardKey, signedOrigin?: string): string {
  const record = harness.challenges.issue();
  return JSON.stringify(buildAssertion(record, pki.card.certificate.rawData, key, overrides, signedOrigin ?? record.origin));
}

test('a returning certificate still needs a valid signature, origin and challenge', async () => {
  const harness = createHarness(pki);
  expect(await rejectionOf(harness, assertion(harness))).toBe('accepted');
  const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  expect(await rejectionOf(harness, assertion(harness, {}, stranger))).toBe('invalid_signature');
  expect(await rejectionOf(harness, assertion(harness, {}, cardKey, 'https://evil.example'))).toBe('invalid_signature');
  expect(await rejectionOf(harness, assertion(harness, { origin: 'https://evil.example' }))).toBe('origin_mismatch');
  const replayed = assertion(harness);
  expect(await rejectionOf(harness, replayed)).toBe('accepted');
  expect(await rejectionOf(harness, replayed)).toBe('challenge_not_found');
});

test('a returning certificate is checked for revocation every time the OCSP cache does not vouch for it', async () => {
  const harness = createHarness(pki);
  expect(await rejectionOf(harness, assertion(harness))).toBe('accepted');
  harness.ocsp.behaviour = 'down';
  // The harness's revocation cache holds one entry and keeps a good answer up to 300 s (test/cie/revocation-freshness.test.ts):
  // a second card fills it, so the first card's next login must ask the (now unreachable) responder.
  const other = await pki.issueCard({});
  const otherKey = KeyObject.from(other.keys.privateKey);
  harness.ocsp.behaviour = {};
  const record = harness.challenges.issue();
  expect(await rejectionOf(harness, JSON.stringify(buildAssertion(record, other.certificate.rawData, otherKey)))).toBe('accepted');
  harness.ocsp.behaviour = 'down';
  expect(await rejectionOf(harness, assertion(harness))).toBe('revocation_unavailable');
});
