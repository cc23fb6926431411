import * as client from 'openid-client';
import { ACR } from '../../src/oidc/acr.js';
import { DEMO_HOLDER, DEMO_PIN } from '../../src/simulator/demo-environment.js';
import { CardLoginFlow } from '../support/card-login-flow.js';
import { spawnRedis, type RedisHandle } from '../support/redis-server.js';
import { formIn } from '../support/test-browser.js';
import { waitUntil } from './support/wait-until.js';
import { startTwoInstanceStack, type TwoInstanceStack } from './support/two-instance-stack.js';

let redis: RedisHandle;
let stack: TwoInstanceStack;

beforeAll(async () => {
  redis = await spawnRedis();
  stack = await startTwoInstanceStack(redis.url);
}, 120_000);

afterAll(async () => {
  await stack?.dispose();
  await redis?.stop();
});

const FISCAL_NUMBER = 'https://attributes.eid.gov.it/fiscal_number';

/** The requests relayed since `mark`, as `<instance> <METHOD> <path>`. */
function servedSince(mark: number): string[] {
  return stack.proxy.served.slice(mark);
}

test('a login started on instance A is finished on B; token on A, refresh on B, userinfo on A', async () => {
  const flow = new CardLoginFlow(stack);
  stack.proxy.use('A');
  let mark = stack.proxy.served.length;
  const pinPage = await flow.clickEntraConCie(await flow.openLoginPage('openid profile email offline_access'));
  expect(pinPage.url.startsWith(stack.bridge.url)).toBe(true);
  const onA = servedSince(mark);
  expect(onA.every((line) => line.startsWith('A '))).toBe(true);
  expect(onA).toEqual(expect.arrayContaining(['A GET /auth', expect.stringMatching(/^A POST \/interaction\/[^/]+\/cie$/)]));
  const forward = await flow.enterPin(pinPage, DEMO_PIN);

  stack.proxy.use('B');
  mark = stack.proxy.served.length;
  const consent = await flow.forwardAssertion(forward);
  expect(consent.status).toBe(200);
  expect(consent.body).toContain('name="offline_access"');
  const { action, fields } = formIn(consent.body, { action: /\/confirm$/ });
  const callback = await flow.browser.post(new URL(action, stack.issuer).href, { ...fields, offline_access: 'on' }, stack.issuer);
  expect(callback.url.startsWith(stack.rp.redirectUri)).toBe(true);
  const onB = servedSince(mark);
  expect(onB.every((line) => line.startsWith('B '))).toBe(true);
  expect(onB).toEqual(expect.arrayContaining(['B POST /cie/assertion', expect.stringMatching(/^B GET \/interaction\/[^/]+\/cie\/complete$/), expect.stringMatching(/^B POST \/interaction\/[^/]+\/confirm$/)]));

  stack.proxy.use('A');
  mark = stack.proxy.served.length;
  const tokens = await client.authorizationCodeGrant(stack.rp.config, new URL(callback.url), {
    pkceCodeVerifier: flow.pending.codeVerifier,
    expectedState: flow.pending.state,
    expectedNonce: flow.pending.nonce,
    idTokenExpected: true,
  });
  expect(servedSince(mark)).toEqual(['A POST /token']);
  expect(tokens.claims()?.acr).toBe(ACR.L3);
  expect(tokens.refresh_token).toBeDefined();

  stack.proxy.use('B');
  mark = stack.proxy.served.length;
  const refreshed = await client.refreshTokenGrant(stack.rp.config, tokens.refresh_token!);
  expect(servedSince(mark)).toEqual(['B POST /token']);
  expect(refreshed.access_token).not.toBe(tokens.access_token);

  stack.proxy.use('A');
  mark = stack.proxy.served.length;
  const userinfo = await client.fetchUserInfo(stack.rp.config, refreshed.access_token, tokens.claims()!.sub);
  expect(servedSince(mark)).toEqual(['A GET /me']);
  expect(userinfo[FISCAL_NUMBER]).toBe(`TINIT-${DEMO_HOLDER.fiscalCode}`);
}, 60_000);

test('Redis killed and restarted mid-flow: the open login fails cleanly on both instances, a fresh one succeeds', async () => {
  const flow = new CardLoginFlow(stack);
  stack.proxy.use('A');
  const forward = await flow.enterPin(await flow.clickEntraConCie(await flow.openLoginPage()), DEMO_PIN);

  await redis.kill();
  stack.proxy.use('B');
  const duringOutage = await flow.forwardAssertion(forward);
  expect(duringOutage.status).toBe(503);
  expect(duringOutage.headers.get('retry-after')).toMatch(/^\d+$/);
  expect(duringOutage.body).toContain('data-code="temporarily_unavailable"');

  await redis.restart();
  for (const instance of ['A', 'B']) {
    stack.proxy.use(instance);
    await waitUntil(async () => (await fetch(`${stack.issuer}/readyz`)).status === 200);
  }
  // The restarted Redis is empty: the challenge and interaction are gone, nothing half-written survives.
  stack.proxy.use('A');
  const afterRestart = await flow.forwardAssertion(forward);
  expect(afterRestart.status).toBe(400);
  expect(afterRestart.body).toContain('data-code="challenge_not_found"');

  const fresh = new CardLoginFlow(stack);
  stack.proxy.use('B');
  const { callback } = await fresh.loginWithPin(DEMO_PIN);
  stack.proxy.use('A');
  const { idToken } = await fresh.finish(callback);
  expect(idToken.acr).toBe(ACR.L3);
}, 60_000);
