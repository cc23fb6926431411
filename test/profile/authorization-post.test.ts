import { SignJWT, generateKeyPair } from 'jose';
import { authorizationRequest, authorize } from './support/request-object.js';
import { startProfileStack, type ProfileStack } from './support/profile-stack.js';

let https: ProfileStack;
let http: ProfileStack;
beforeAll(async () => {
  [https, http] = await Promise.all([startProfileStack({ httpsBehindProxy: true }), startProfileStack()]);
});
afterAll(async () => Promise.all([https?.close(), http?.close()]));

const form = { 'content-type': 'application/x-www-form-urlencoded' };

test('with an https issuer (behind a TLS proxy) oidc-provider itself takes POST as well as GET', async () => {
  const url = await authorizationRequest(https, https.rp);
  const plain = new URL(url.pathname, https.issuer.replace('https:', 'http:'));
  const response = await fetch(plain, { method: 'POST', redirect: 'manual', headers: { ...form, 'x-forwarded-proto': 'https' }, body: url.searchParams.toString() });
  expect(response.status).toBe(303);
  expect(new URL(response.headers.get('location')!, https.issuer).pathname).toMatch(/^\/interaction\/[^/]+$/);
  const viaGet = await authorizationRequest(https, https.rp);
  const sent = await authorize(new URL(`${plain.href}?${viaGet.searchParams}`), { headers: { 'x-forwarded-proto': 'https' } });
  expect(sent.status).toBe(303);
});

test('over http a POST that is not a form, or too large to become a GET, is refused and never redirected', async () => {
  const url = await authorizationRequest(http, http.rp);
  const endpoint = new URL('/auth', http.issuer);
  const json = await fetch(endpoint, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/json' }, body: JSON.stringify(Object.fromEntries(url.searchParams)) });
  expect(json.status).toBe(400);
  expect(json.headers.get('location')).toBeNull();
  expect(await json.text()).toContain('data-error="invalid_request"');
  const oversized = await fetch(endpoint, { method: 'POST', redirect: 'manual', headers: form, body: `${url.searchParams}&padding=${'x'.repeat(9 * 1024)}` });
  expect(oversized.status).toBe(413);
  expect(await oversized.text()).toContain('data-error="invalid_request"');
  expect(oversized.headers.get('location')).toBeNull();
});

test('with an https issuer, a POSTed request object is judged as a GET one: only client_id + request accepted; unverifiable with an outer redirect_uri → 400 page; a broken rule → redirect with state and iss', async () => {
  const plain = new URL('/auth', https.issuer.replace('https:', 'http:'));
  const post = async (url: URL) => {
    const response = await fetch(plain, { method: 'POST', redirect: 'manual', headers: { ...form, 'x-forwarded-proto': 'https' }, body: url.searchParams.toString() });
    return { status: response.status, location: response.headers.get('location'), body: await response.text() };
  };
  const jarOnly = await post(await authorizationRequest(https, https.rp, {}, { scope: undefined, response_type: undefined, code_challenge: undefined, code_challenge_method: undefined }));
  expect(jarOnly.status).toBe(303);
  expect(new URL(jarOnly.location!, https.issuer).pathname).toMatch(/^\/interaction\/[^/]+$/);

  const { privateKey } = await generateKeyPair('RS256');
  const forged = await post(await authorizationRequest(https, https.rp, {}, { redirect_uri: https.rp.redirectUri }, (payload) => new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: https.rp.keys.signing.kid }).sign(privateKey)));
  expect(forged.status).toBe(400);
  expect(forged.location).toBeNull();
  expect(forged.body).toContain('data-error="invalid_request_object"');

  const state = 'S'.repeat(40);
  const broken = await post(await authorizationRequest(https, https.rp, { state, prompt: 'login' }));
  expect(broken.status).toBe(303);
  const back = new URL(broken.location!);
  expect(back.href.startsWith(https.rp.redirectUri)).toBe(true);
  expect(Object.fromEntries(back.searchParams)).toMatchObject({ error: 'invalid_request_object', state, iss: https.issuer });
});

test('over http a POST to /auth/ or /AUTH (which the library routes as /auth) also gets the 303 to the GET; a forged request object with a registered redirect_uri outside gets the 400 page (https, POST taken by the library)', async () => {
  for (const path of ['/auth/', '/AUTH']) {
    const url = await authorizationRequest(http, http.rp);
    const response = await fetch(new URL(path, http.issuer), { method: 'POST', redirect: 'manual', headers: form, body: url.searchParams.toString() });
    expect(response.status).toBe(303);
    const asGet = new URL(response.headers.get('location')!);
    expect(`${asGet.origin}${asGet.pathname}`).toBe(`${http.issuer}/auth`);
    expect([...asGet.searchParams]).toEqual([...url.searchParams]);

    const { privateKey } = await generateKeyPair('RS256');
    const forged = await authorizationRequest(https, https.rp, {}, { redirect_uri: https.rp.redirectUri, state: 'F'.repeat(40) }, (payload) => new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: https.rp.keys.signing.kid }).sign(privateKey));
    const plain = new URL(path, https.issuer.replace('https:', 'http:'));
    const refused = await fetch(plain, { method: 'POST', redirect: 'manual', headers: { ...form, 'x-forwarded-proto': 'https' }, body: forged.searchParams.toString() });
    expect(refused.status).toBe(400);
    expect(refused.headers.get('location')).toBeNull();
    expect(await refused.text()).toContain('data-error="invalid_request_object"');
  }
});
