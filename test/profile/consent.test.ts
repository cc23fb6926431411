import * as client from 'openid-client';
import { authorizationUrl } from '../../src/demo-rp/rp-client.js';
import { TestBrowser } from '../support/test-browser.js';
import { signIn } from './support/profile-login.js';
import { CITIZEN, startProfileStack, type ProfileStack } from './support/profile-stack.js';

let stack: ProfileStack;
beforeAll(async () => {
  stack = await startProfileStack();
});
afterAll(async () => stack?.close());

test('a citizen who refuses consent sends the RP access_denied with state and iss', async () => {
  const browser = new TestBrowser(stack.rp.redirectUri);
  const { url, pending } = await authorizationUrl(stack.rp.config, stack.rp.redirectUri, stack.rp.keys, 'openid profile');
  const loginPage = await browser.get(url.href);
  const uid = /\/interaction\/([^/?#]+)$/.exec(loginPage.url)![1]!;
  const consent = await browser.post(`${stack.issuer}/cie/assertion`, { assertion: JSON.stringify({ interactionUid: uid, ...CITIZEN }) }, 'http://127.0.0.1:9');
  const abort = /href="(\/interaction\/[^"]+\/abort)"/.exec(consent.body)?.[1];
  expect(abort).toBeDefined();
  const callback = await browser.get(`${stack.issuer}${abort}`);
  const back = new URL(callback.url);
  expect(back.href.startsWith(stack.rp.redirectUri)).toBe(true);
  expect(back.searchParams.get('error')).toBe('access_denied');
  expect(back.searchParams.get('state')).toBe(pending.state);
  expect(back.searchParams.get('iss')).toBe(stack.issuer);
  expect(back.searchParams.get('code')).toBeNull();
});

const OFFLINE_SWITCH = 'name="offline_access"';

test('a second consent in the same browser session asks again for offline access; no refresh token unless ticked this time', async () => {
  const scope = 'openid profile offline_access';
  const first = await signIn(stack, stack.rp, { scope, offline: true });
  expect(first.consent.body).toContain(OFFLINE_SWITCH);
  expect(first.tokens.refresh_token).toEqual(expect.any(String));

  const second = await signIn(stack, stack.rp, { scope, browser: first.browser });
  expect(second.consent.body).toContain(OFFLINE_SWITCH);
  // The page lists what this consent releases, not only what the session had not granted yet.
  expect(second.consent.body).toContain('Nome');
  expect(second.tokens.refresh_token).toBeUndefined();
  expect(second.tokens.scope?.split(' ')).not.toContain('offline_access');

  // Ticked again at a third consent: a refresh token again.
  const third = await signIn(stack, stack.rp, { scope, offline: true, browser: first.browser });
  expect(third.consent.body).toContain(OFFLINE_SWITCH);
  expect(third.tokens.refresh_token).toEqual(expect.any(String));
});

test('offline access declined once can still be granted at a later consent in the same browser session', async () => {
  const scope = 'openid profile offline_access';
  const declined = await signIn(stack, stack.rp, { scope });
  expect(declined.tokens.refresh_token).toBeUndefined();
  const granted = await signIn(stack, stack.rp, { scope, offline: true, browser: declined.browser });
  expect(granted.consent.body).toContain(OFFLINE_SWITCH);
  expect(granted.tokens.refresh_token).toEqual(expect.any(String));
});

test('a later sign-in without offline access in the same browser session gets a grant of its own: withdrawing the offline grant leaves its tokens alone', async () => {
  const offline = await signIn(stack, stack.rp, { scope: 'openid profile offline_access', offline: true });
  expect(offline.tokens.refresh_token).toEqual(expect.any(String));
  const online = await signIn(stack, stack.rp, { scope: 'openid profile', browser: offline.browser });
  expect(online.tokens.refresh_token).toBeUndefined();

  // Revoking the refresh token revokes its grant (§3.5): the offline grant's tokens only.
  await client.tokenRevocation(stack.rp.config, offline.tokens.refresh_token!);
  expect((await client.tokenIntrospection(stack.rp.config, offline.tokens.access_token)).active).toBe(false);
  expect((await client.tokenIntrospection(stack.rp.config, online.tokens.access_token)).active).toBe(true);
});
