import * as client from 'openid-client';
import { authorizationUrl } from '../../src/demo-rp/rp-client.js';
import { ACR } from '../../src/oidc/acr.js';
import { DEMO_PIN } from '../../src/simulator/demo-environment.js';
import { CardLoginFlow } from '../support/card-login-flow.js';
import { startTestStack, type TestStack } from '../support/local-stack.js';
import { spawnRedis, type RedisHandle } from '../support/redis-server.js';
import { formIn, TestBrowser } from '../support/test-browser.js';
import { clientAuthForm } from './support/client-assertion.js';
import { addedKeys, snapshotRedis } from './support/redis-snapshot.js';
import { startTcpSwitch, type TcpSwitch } from './support/tcp-switch.js';
import { waitUntil } from './support/wait-until.js';

let redis: RedisHandle;
let link: TcpSwitch;
let stack: TestStack;

beforeAll(async () => {
  redis = await spawnRedis();
  // The provider reaches Redis through a switch: cutting it is an outage that keeps Redis's data.
  link = await startTcpSwitch(Number(new URL(redis.url).port));
  stack = await startTestStack({ providerEnv: { REDIS_URL: `redis://127.0.0.1:${link.port}` } });
}, 120_000);

afterAll(async () => {
  await stack?.dispose();
  await link?.close();
  await redis?.stop();
});

afterEach(async () => {
  link.restore();
  await waitUntil(async () => (await fetch(`${stack.issuer}/readyz`)).status === 200);
});

async function expectUnavailableJson(response: Response): Promise<void> {
  expect(response.status).toBe(503);
  expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
  expect(response.headers.get('content-type')).toContain('application/json');
  const body = await response.json();
  expect(body.error).toBe('temporarily_unavailable');
  expect(typeof body.error_description).toBe('string');
}

/** openid-client reports a 5xx as a non-conform response and keeps the Response as the cause. */
async function expectTokenUnavailable(attempt: Promise<unknown>): Promise<void> {
  const error = await attempt.then(() => undefined, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(client.ClientError);
  const response = (error as client.ClientError).cause as Response;
  await expectUnavailableJson(response);
}

function post(path: string, form: URLSearchParams): Promise<Response> {
  return fetch(`${stack.issuer}${path}`, { method: 'POST', body: form, headers: { accept: 'application/json' } });
}

test('while Redis is unreachable every stateful route answers 503 with Retry-After; liveness stays up; recovery is automatic', async () => {
  const earlier = new CardLoginFlow(stack);
  const { tokens: issued } = await earlier.finish((await earlier.loginWithPin(DEMO_PIN)).callback);
  const flow = new CardLoginFlow(stack);
  const loginPage = await flow.openLoginPage();
  const uid = /\/interaction\/([^/]+)$/.exec(loginPage.url)![1];

  const beforeOutage = await snapshotRedis(redis);
  link.cut();
  expect((await fetch(`${stack.issuer}/healthz`)).status).toBe(200);
  const ready = await fetch(`${stack.issuer}/readyz`);
  expect(ready.status).toBe(503);

  // OAuth endpoints: JSON.
  await expectUnavailableJson(await post('/token', await clientAuthForm(stack, { grant_type: 'authorization_code', code: 'x'.repeat(43), redirect_uri: stack.rp.redirectUri, code_verifier: 'v'.repeat(43) })));
  await expectUnavailableJson(await post('/token/introspection', await clientAuthForm(stack, { token: 'some-token' })));
  await expectUnavailableJson(await post('/token/revocation', await clientAuthForm(stack, { token: 'some-token' })));
  await expectUnavailableJson(await fetch(`${stack.issuer}/me`, { headers: { authorization: `Bearer ${issued.access_token}` } }));
  // Not a JWT signed by the provider: refused without asking the store.
  expect((await fetch(`${stack.issuer}/me`, { headers: { authorization: 'Bearer some-access-token' } })).status).toBe(401);
  // Discovery and keys are served from memory: RPs can still check tokens already issued.
  expect((await fetch(`${stack.issuer}/.well-known/openid-configuration`)).status).toBe(200);
  expect((await fetch(`${stack.issuer}/jwks`)).status).toBe(200);

  // Browser routes: a bilingual page, never a 500 or "session expired".
  const { url } = await authorizationUrl(stack.rp.config, stack.rp.redirectUri, stack.rp.keys, 'openid');
  for (const page of [await new TestBrowser(stack.rp.redirectUri).get(url.href), await flow.browser.get(`${stack.issuer}/interaction/${uid}`)]) {
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.body).toContain('data-code="temporarily_unavailable"');
    expect(page.body).toContain('temporaneamente non disponibile');
  }
  const english = await fetch(url, { headers: { 'accept-language': 'en' }, redirect: 'manual' });
  expect(english.status).toBe(503);
  expect(await english.text()).toContain('temporarily unavailable');
  // Redis, read directly (not through the cut link): none of the refused requests left anything.
  expect(await snapshotRedis(redis)).toEqual(beforeOutage);

  link.restore();
  await waitUntil(async () => (await fetch(`${stack.issuer}/readyz`)).status === 200);
  // The interaction opened before the outage is intact and the login goes through.
  const { callback } = await flow.loginWithPin(DEMO_PIN);
  const { idToken } = await flow.finish(callback);
  expect(idToken.acr).toBe(ACR.L3);
}, 60_000);

test('outage at login (card assertion): nothing is written, and the same assertion goes through once Redis is back', async () => {
  const flow = new CardLoginFlow(stack);
  const forward = await flow.enterPin(await flow.clickEntraConCie(await flow.openLoginPage()), DEMO_PIN);
  const beforeOutage = await snapshotRedis(redis);
  link.cut();
  const refused = await flow.forwardAssertion(forward);
  expect(refused.status).toBe(503);
  expect(refused.body).toContain('data-code="temporarily_unavailable"');
  // No Session, no account attributes, no spent challenge: Redis is exactly as before the request.
  expect(await snapshotRedis(redis)).toEqual(beforeOutage);

  link.restore();
  await waitUntil(async () => (await fetch(`${stack.issuer}/readyz`)).status === 200);
  const consent = await flow.forwardAssertion(forward);
  expect(consent.status).toBe(200);
  const { idToken } = await flow.finish(await flow.allowConsent(consent));
  expect(idToken.acr).toBe(ACR.L3);
}, 60_000);

test('outage at consent: nothing is written, and the same consent succeeds once Redis is back', async () => {
  const flow = new CardLoginFlow(stack);
  const consent = await flow.forwardAssertion(await flow.enterPin(await flow.clickEntraConCie(await flow.openLoginPage()), DEMO_PIN));
  const beforeOutage = await snapshotRedis(redis);
  link.cut();
  const refused = await flow.allowConsent(consent);
  expect(refused.status).toBe(503);
  expect(refused.body).toContain('data-code="temporarily_unavailable"');
  // No Grant, no AuthorizationCode, no Session or account change: Redis is exactly as before the request.
  expect(await snapshotRedis(redis)).toEqual(beforeOutage);

  link.restore();
  await waitUntil(async () => (await fetch(`${stack.issuer}/readyz`)).status === 200);
  const callback = await flow.allowConsent(consent);
  expect(callback.url.startsWith(stack.rp.redirectUri)).toBe(true);
  // The consent given after the outage made exactly one Grant and one code of that grant (docs/storage.md key scheme).
  const added = addedKeys(beforeOutage, await snapshotRedis(redis));
  const grantIds = added.flatMap((key) => /^oidc:Grant:(.+)$/.exec(key)?.[1] ?? []);
  expect(grantIds).toHaveLength(1);
  expect(added.filter((key) => /:AuthorizationCode:/.test(key) && !key.startsWith('oidc:grantOf:'))).toEqual([`oidc:{grant:${grantIds[0]}}:AuthorizationCode:${new URL(callback.url).searchParams.get('code')}`]);
  const { idToken } = await flow.finish(callback);
  expect(idToken.acr).toBe(ACR.L3);
}, 60_000);

test('outage between consent and token: the code survives a network cut and is redeemed once', async () => {
  const flow = new CardLoginFlow(stack);
  const { callback } = await flow.loginWithPin(DEMO_PIN);
  link.cut();
  await expectTokenUnavailable(flow.finish(callback));

  link.restore();
  await waitUntil(async () => (await fetch(`${stack.issuer}/readyz`)).status === 200);
  const { idToken } = await flow.finish(callback);
  expect(idToken.acr).toBe(ACR.L3);
  const replay = await flow.finish(callback).catch((error: unknown) => error);
  expect((replay as client.ResponseBodyError).error).toBe('invalid_grant');
}, 60_000);

test('Redis killed and restarted (data lost) between consent and token: the token request fails cleanly and a fresh login works', async () => {
  const flow = new CardLoginFlow(stack);
  const { callback } = await flow.loginWithPin(DEMO_PIN);
  await redis.kill();
  await expectTokenUnavailable(flow.finish(callback));

  await redis.restart();
  await waitUntil(async () => (await fetch(`${stack.issuer}/readyz`)).status === 200);
  const after = await flow.finish(callback).catch((error: unknown) => error);
  expect((after as client.ResponseBodyError).status).toBe(400);
  expect((after as client.ResponseBodyError).error).toBe('invalid_grant');
  // The restarted Redis holds nothing of that login: no Grant, Session, code, token or account attributes.
  const left = [...(await snapshotRedis(redis)).keys()];
  expect(left.filter((key) => /:(Grant|Session|AuthorizationCode|AccessToken|RefreshToken):|^state:account:/.test(key))).toEqual([]);

  const fresh = new CardLoginFlow(stack);
  const retry = await fresh.loginWithPin(DEMO_PIN);
  const { idToken, userinfo } = await fresh.finish(retry.callback);
  expect(idToken.acr).toBe(ACR.L3);
  expect(userinfo.given_name).toBe('Mario');
}, 60_000);

test('the consent form of a login whose interaction vanished with Redis leads to a clean error page, not a 500', async () => {
  const flow = new CardLoginFlow(stack);
  const consent = await flow.forwardAssertion(await flow.enterPin(await flow.clickEntraConCie(await flow.openLoginPage()), DEMO_PIN));
  const { action, fields } = formIn(consent.body, { action: /\/confirm$/ });
  await redis.restart();
  await waitUntil(async () => (await fetch(`${stack.issuer}/readyz`)).status === 200);
  const page = await flow.browser.post(new URL(action, stack.issuer).href, fields, stack.issuer);
  expect(page.status).toBe(400);
  expect(page.body).toContain('data-code="session_expired"');
}, 60_000);
