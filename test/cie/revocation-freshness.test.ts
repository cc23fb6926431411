import { KeyObject } from 'node:crypto';
import { createRevocationChecker, type RevocationChecker } from '../../src/cie/revocation/index.js';
import { AssertionError, CIE_AUTHENTICATION_POLICY, createAssertionVerifier, type AssertionVerifier } from '../../src/cie/verify/index.js';
import { MemoryChallenges, ORIGIN, buildAssertion } from './fixtures/assertions.js';
import { fakeOcspResponder, type OcspBehaviour } from './fixtures/fake-ocsp.js';
import { caExtensions, createTestPki, type Issued, type TestPki } from './fixtures/test-pki.js';
import { issue } from './fixtures/test-pki.js';

// Issue 13 item 4: a good OCSP answer is reused for at most the cache cap (OCSP_CACHE_MAX_AGE, 300 s by
// default), not until its nextUpdate (an hour here), so a card revoked meanwhile is refused within
// minutes; and a returning card (the verifier's certificate cache, the "fast path") still has its
// CAs' validity and a fresh revocation answer checked. The clock is injected: nothing sleeps.
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
let pki: TestPki;

beforeAll(async () => {
  pki = await createTestPki();
});

interface Setup {
  verify: AssertionVerifier;
  challenges: MemoryChallenges;
  ocsp: { behaviour: OcspBehaviour | 'down'; requests: () => number };
  advance(ms: number): void;
}

function setup(options: { intermediate?: Issued; revocation?: RevocationChecker; cacheMaxAgeSeconds?: number } = {}): Setup {
  let clock = Date.now();
  const now = () => new Date(clock);
  const ocsp: Setup['ocsp'] = { behaviour: { nextUpdate: new Date(Date.now() + HOUR) }, requests: () => responder.requests };
  const responder = fakeOcspResponder(options.intermediate ?? pki.intermediate, () => ocsp.behaviour);
  const challenges = new MemoryChallenges();
  const verify = createAssertionVerifier(
    {
      origin: ORIGIN,
      trustAnchors: [pki.root.certificate],
      intermediates: [(options.intermediate ?? pki.intermediate).certificate],
      clockToleranceSeconds: 60,
      allowedAlgorithms: ['RS256'],
      requiredPolicy: CIE_AUTHENTICATION_POLICY,
      revocation:
        options.revocation ??
        createRevocationChecker({ mode: 'ocsp', fetch: responder.fetch, now, ...(options.cacheMaxAgeSeconds === undefined ? {} : { cacheMaxAgeSeconds: options.cacheMaxAgeSeconds }) }),
      now,
    },
    challenges,
    () => {},
  );
  return { verify, challenges, ocsp, advance: (ms) => (clock += ms) };
}

async function outcome({ verify, challenges }: Setup, card: Issued = pki.card): Promise<string> {
  const record = challenges.issue(undefined, 10 * HOUR);
  const raw = JSON.stringify(buildAssertion(record, card.certificate.rawData, KeyObject.from(card.keys.privateKey)));
  try {
    await verify(raw, {});
    return 'accepted';
  } catch (error) {
    if (!(error instanceof AssertionError)) throw error;
    return error.code;
  }
}

test('a card revoked after a good answer was cached is refused once the 300 s cap has passed, though the answer was good for an hour', async () => {
  const stack = setup();
  expect(await outcome(stack)).toBe('accepted');
  stack.ocsp.behaviour = { status: 'revoked' };
  stack.advance(299_000);
  expect(await outcome(stack)).toBe('accepted'); // within the cap: the cached good answer, no request
  expect(stack.ocsp.requests()).toBe(1);
  stack.advance(2_000);
  expect(await outcome(stack)).toBe('certificate_revoked');
  expect(stack.ocsp.requests()).toBe(2);
});

test('a card suspended after a good answer was cached is refused once a configured cap (60 s) has passed', async () => {
  const stack = setup({ cacheMaxAgeSeconds: 60 });
  expect(await outcome(stack)).toBe('accepted');
  stack.ocsp.behaviour = { status: 'hold' };
  stack.advance(61_000);
  expect(await outcome(stack)).toBe('certificate_suspended');
});

test('the fast path does not reuse a revocation answer older than the cap: responder unreachable → refused (fail closed)', async () => {
  const stack = setup();
  expect(await outcome(stack)).toBe('accepted');
  expect(await outcome(stack)).toBe('accepted');
  stack.ocsp.behaviour = 'down';
  stack.advance(5 * MINUTE + 1_000);
  expect(await outcome(stack)).toBe('revocation_unavailable');
});

test('the fast path refuses a returning card once a CA on its path has expired', async () => {
  const shortLivedCa = await issue({ subject: 'CN=Expiring CIE Sub CA, C=IT', issuer: pki.root, extensions: caExtensions(), notAfter: new Date(Date.now() + 10 * MINUTE) });
  const card = await pki.issueCard({ serialNumber: 'IDCIT-CA55555EE' }, shortLivedCa);
  const stack = setup({ intermediate: shortLivedCa, revocation: { check: async () => {} } });
  expect(await outcome(stack, card)).toBe('accepted');
  stack.advance(5 * MINUTE);
  expect(await outcome(stack, card)).toBe('accepted');
  stack.advance(10 * MINUTE); // the CA ended 10 minutes after the start, the card certificate has a year to go
  expect(await outcome(stack, card)).toBe('untrusted_certificate');
});
