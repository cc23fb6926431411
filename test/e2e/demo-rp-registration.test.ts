import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anchorPath, initAnchor } from '../../src/simulator/federation/index.js';
import { CardLoginFlow } from '../support/card-login-flow.js';
import { startTestStack, type TestStack } from '../support/local-stack.js';

// The demo RP is known to the provider only through the local trust anchor (test/e2e/demo-start.test.ts).
// When the operator's FEDERATION_TRUST_ANCHORS names other anchors, it could not be resolved: the
// stack registers it statically instead, so stack.rp keeps working.

let dir: string;
let stack: TestStack;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cie-other-anchor-'));
  await initAnchor(dir, { entityId: 'https://ta.example.it/' });
  stack = await startTestStack({ providerEnv: { FEDERATION_TRUST_ANCHORS: anchorPath(dir, 'trustAnchors') } });
}, 120_000);

afterAll(async () => {
  await stack?.dispose();
  await rm(dir, { recursive: true, force: true });
});

test('with anchors of the operator\'s own, the demo RP is a static client and still reaches the login page', async () => {
  expect(stack.providerConfig.federation.trustAnchorsFile).toBe(anchorPath(dir, 'trustAnchors'));
  const loginPage = await new CardLoginFlow(stack).openLoginPage();
  expect(loginPage.status).toBe(200);
  expect(new URL(loginPage.url).pathname).toMatch(/^\/interaction\/[^/]+$/);
});
