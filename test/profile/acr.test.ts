import { ACR } from '../../src/oidc/acr.js';
import { loginAtProvider } from './support/profile-login.js';
import { authorizationRequest } from './support/request-object.js';
import { startProfileStack, type ProfileStack } from './support/profile-stack.js';

let stack: ProfileStack;
beforeAll(async () => {
  stack = await startProfileStack();
});
afterAll(async () => stack?.close());

test('with a session, a level-3 request (prompt consent) still asks for the card again; level 1 reuses the session', async () => {
  const { browser } = await loginAtProvider(stack, stack.rp);
  const again = await browser.get((await authorizationRequest(stack, stack.rp, { prompt: 'consent', acr_values: ACR.L3 })).href);
  expect(again.body).toContain('action="/interaction/');
  expect(again.body).toMatch(/action="\/interaction\/[^"]+\/cie"/);
  const levelOne = await browser.get((await authorizationRequest(stack, stack.rp, { prompt: 'consent', acr_values: ACR.L1 })).href);
  expect(levelOne.body).not.toMatch(/action="\/interaction\/[^"]+\/cie"/);
  expect(levelOne.body).toMatch(/action="\/interaction\/[^"]+\/confirm"/);
});

test('prompt "consent login" forces the card login even for level 1', async () => {
  const { browser } = await loginAtProvider(stack, stack.rp);
  const forced = await browser.get((await authorizationRequest(stack, stack.rp, { prompt: 'consent login', acr_values: ACR.L1 })).href);
  expect(forced.body).toMatch(/action="\/interaction\/[^"]+\/cie"/);
});
