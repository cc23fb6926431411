import { authorizationRequest, authorize } from './support/request-object.js';
import { startProfileStack, type ProfileStack } from './support/profile-stack.js';

let stack: ProfileStack;
beforeAll(async () => {
  stack = await startProfileStack({ httpsBehindProxy: true });
});
afterAll(async () => stack?.close());

test('with an https issuer (behind a TLS proxy) the authorization endpoint takes POST as well as GET', async () => {
  const url = await authorizationRequest(stack, stack.rp);
  const plain = new URL(url.pathname, stack.issuer.replace('https:', 'http:'));
  const response = await fetch(plain, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-proto': 'https' },
    body: url.searchParams.toString(),
  });
  expect(response.status).toBe(303);
  expect(new URL(response.headers.get('location')!, stack.issuer).pathname).toMatch(/^\/interaction\/[^/]+$/);
  const viaGet = await authorizationRequest(stack, stack.rp);
  const sent = await authorize(new URL(`${plain.href}?${viaGet.searchParams}`), { headers: { 'x-forwarded-proto': 'https' } });
  expect(sent.status).toBe(303);
});
