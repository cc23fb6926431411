import { KeyObject } from 'node:crypto';
import { CIE_AUTHENTICATION_POLICY, createAssertionVerifier } from '../../src/cie/verify/index.js';
import { MemoryChallenges, ORIGIN, buildAssertion } from './fixtures/assertions.js';
import { caExtensions, cardExtensions, cardSubject, createTestPki, issue, newKeys, type Issued, type TestPki } from './fixtures/test-pki.js';
import { createHarness, rejectionOf, type Harness } from './fixtures/verifier-harness.js';

// The CA part of a path (issuer → trust anchor) is verified once per issuer and remembered; each new
// card's own signature and every CA's validity are still checked on every first-time certificate.
const DAY = 86_400_000;
let pki: TestPki;

beforeAll(async () => {
  pki = await createTestPki();
});

function assertionFor(harness: Pick<Harness, 'challenges'>, card: Issued, lifetimeMs?: number): string {
  const record = harness.challenges.issue(undefined, lifetimeMs);
  return JSON.stringify(buildAssertion(record, card.certificate.rawData, KeyObject.from(card.keys.privateKey)));
}

test('a card whose issuer name and key identifier match a known CA, but signed by another key, is untrusted', async () => {
  const harness = createHarness(pki);
  expect(await rejectionOf(harness, assertionFor(harness, pki.card))).toBe('accepted');
  const impostorKeys = await newKeys();
  const forged = await issue({
    subject: cardSubject({ serialNumber: 'IDCIT-CA99999ZZ' }),
    issuer: { certificate: pki.intermediate.certificate, keys: impostorKeys },
    keys: pki.card.keys,
    extensions: cardExtensions(),
  });
  expect(await rejectionOf(harness, assertionFor(harness, forged))).toBe('untrusted_certificate');
  const second = await pki.issueCard({ serialNumber: 'IDCIT-CA22222BB' });
  expect(await rejectionOf(harness, assertionFor(harness, second))).toBe('accepted');
});

test('a CA on a remembered path that is no longer valid is refused for the next new card', async () => {
  const shortLivedCa = await issue({ subject: 'CN=Short-lived CIE Sub CA, C=IT', issuer: pki.root, extensions: caExtensions(), notAfter: new Date(Date.now() + 2 * DAY) });
  const firstCard = await pki.issueCard({ serialNumber: 'IDCIT-CA33333CC' }, shortLivedCa);
  const laterCard = await pki.issueCard({ serialNumber: 'IDCIT-CA44444DD' }, shortLivedCa);
  const challenges = new MemoryChallenges();
  let now = new Date();
  const verify = createAssertionVerifier(
    {
      origin: ORIGIN,
      trustAnchors: [pki.root.certificate],
      intermediates: [shortLivedCa.certificate],
      clockToleranceSeconds: 60,
      allowedAlgorithms: ['RS256'],
      requiredPolicy: CIE_AUTHENTICATION_POLICY,
      revocation: { check: async () => {} },
      now: () => now,
    },
    challenges,
    () => {},
  );
  const tenDays = 10 * DAY;
  await expect(verify(assertionFor({ challenges }, firstCard, tenDays), {})).resolves.toMatchObject({ boundTo: 'interaction-1' });
  now = new Date(Date.now() + 3 * DAY);
  await expect(verify(assertionFor({ challenges }, laterCard, tenDays), {})).rejects.toMatchObject({ code: 'untrusted_certificate' });
});
