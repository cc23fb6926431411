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
