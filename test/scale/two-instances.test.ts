import * as client from 'openid-client';
import { ACR } from '../../src/oidc/acr.js';
import { DEMO_HOLDER, DEMO_PIN } from '../../src/simulator/demo-environment.js';
import { CardLoginFlow } from '../support/card-login-flow.js';
import { spawnRedis, withCredentials, type RedisHandle } from '../support/redis-server.js';
import { formIn } from '../support/test-browser.js';
import { clientAuthForm } from './support/client-assertion.js';
import { BACKEND_HEADER } from './support/switchable-proxy.js';
import { waitUntil } from './support/wait-until.js';
import { startTwoInstanceStack, type TwoInstanceStack } from './support/two-instance-stack.js';

const FISCAL_NUMBER = 'https://attributes.eid.gov.it/fiscal_number';

/** The requests relayed since `mark`, as `<instance> <METHOD> <path>`. */
function servedSince(stack: TwoInstanceStack, mark: number): string[] {
  return stack.proxy.served.slice(mark);
}

/** challenge on A, assertion + interaction + consent on B, code → token on A, refresh on B, userinfo on A. */
async function loginAcrossInstances(stack: TwoInstanceStack): Promise<void> {
  const flow = new CardLoginFlow(stack);
  stack.proxy.use('A');
  let mark = stack.proxy.served.length;
  const pinPage = await flow.clickEntraConCie(await flow.openLoginPage('openid profile email offline_access'));
  expect(pinPage.url.startsWith(stack.bridge.url)).toBe(true);
  const onA = servedSince(stack, mark);
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
  const onB = servedSince(stack, mark);
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
  expect(servedSince(stack, mark)).toEqual(['A POST /token']);
  expect(tokens.claims()?.acr).toBe(ACR.L3);
  expect(tokens.refresh_token).toBeDefined();

  stack.proxy.use('B');
  mark = stack.proxy.served.length;
  const refreshed = await client.refreshTokenGrant(stack.rp.config, tokens.refresh_token!);
  expect(servedSince(stack, mark)).toEqual(['B POST /token']);
  expect(refreshed.access_token).not.toBe(tokens.access_token);

  stack.proxy.use('A');
  mark = stack.proxy.served.length;
  const userinfo = await client.fetchUserInfo(stack.rp.config, refreshed.access_token, tokens.claims()!.sub);
  expect(servedSince(stack, mark)).toEqual(['A GET /me']);
  expect(userinfo[FISCAL_NUMBER]).toBe(`TINIT-${DEMO_HOLDER.fiscalCode}`);
}

// Two OS processes of the production entry point, dist/src/server.js (needs `npm run build` first),
// configured by environment variables only, on their own ports, sharing one Redis that requires a password.
describe('two provider processes (dist/src/server.js) sharing one Redis', () => {
  const PASSWORD = 'two-processes-s3cret';
  let redis: RedisHandle;
  let stack: TwoInstanceStack;

  beforeAll(async () => {
    redis = await spawnRedis(undefined, { password: PASSWORD });
    stack = await startTwoInstanceStack(withCredentials(redis.url, { password: PASSWORD }), 'process');
  }, 120_000);

  afterAll(async () => {
    await stack?.dispose();
    await redis?.stop();
  });

  test('they are two processes, neither of them this one, on different ports', () => {
    const [a, b] = stack.instances;
    expect(new Set([a!.pid, b!.pid, process.pid]).size).toBe(3);
    expect(a!.port).not.toBe(b!.port);
  });

  test('a login started on process A is finished on B; token on A, refresh on B, userinfo on A', async () => {
    await loginAcrossInstances(stack);
  }, 60_000);

  test('the same authorization code redeemed at the same time on A and on B succeeds exactly once', async () => {
    for (let round = 0; round < 3; round += 1) {
      const flow = new CardLoginFlow(stack);
      stack.proxy.use(round % 2 === 0 ? 'A' : 'B');
      const { callback } = await flow.loginWithPin(DEMO_PIN);
      const code = new URL(callback.url).searchParams.get('code')!;
      expect(code).toBeTruthy();
      const redeemOn = async (instance: 'A' | 'B') => {
        // Each request has its own client assertion (jti): only the code is shared.
        const form = await clientAuthForm(stack, { grant_type: 'authorization_code', code, redirect_uri: stack.rp.redirectUri, code_verifier: flow.pending.codeVerifier });
        return fetch(`${stack.issuer}/token`, { method: 'POST', body: form, headers: { accept: 'application/json', [BACKEND_HEADER]: instance } });
      };
      const mark = stack.proxy.served.length;
      const answers = await Promise.all([redeemOn('A'), redeemOn('B')]);
      expect([...servedSince(stack, mark)].sort()).toEqual(['A POST /token', 'B POST /token']);
      const bodies = await Promise.all(answers.map(async (answer) => ({ status: answer.status, body: (await answer.json()) as Record<string, unknown> })));
      expect(bodies.map(({ status }) => status).sort()).toEqual([200, 400]);
      expect(bodies.find(({ status }) => status === 200)!.body).toMatchObject({ token_type: 'Bearer', access_token: expect.any(String), id_token: expect.any(String) });
      expect(bodies.find(({ status }) => status === 400)!.body).toMatchObject({ error: 'invalid_grant' });
    }
  }, 90_000);
});

// The same provider app twice in this jest worker: quicker to debug, and the Redis outage below.
describe('two provider apps in one jest worker sharing one Redis', () => {
  let redis: RedisHandle;
  let stack: TwoInstanceStack;

  beforeAll(async () => {
    redis = await spawnRedis();
    stack = await startTwoInstanceStack(redis.url, 'in-process');
  }, 120_000);

  afterAll(async () => {
    await stack?.dispose();
    await redis?.stop();
  });

  test('a login started on instance A is finished on B; token on A, refresh on B, userinfo on A', async () => {
    await loginAcrossInstances(stack);
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
});
