import * as client from 'openid-client';
import { authorizationUrl, completeLogin } from '../../src/demo-rp/rp-client.js';
import { ACR } from '../../src/oidc/acr.js';
import { formIn, TestBrowser } from '../support/test-browser.js';
import { signIn } from './support/profile-login.js';
import { CITIZEN, startProfileStack, type ProfileStack } from './support/profile-stack.js';

let stack: ProfileStack;
beforeAll(async () => {
  stack = await startProfileStack();
});
afterAll(async () => stack?.close());

/** An authorization in `browser` and a (trusted) card sign-in of `citizen`: the page the completion answers. */
async function signInToConsent(browser: TestBrowser, citizen: typeof CITIZEN = CITIZEN) {
  const { url, pending } = await authorizationUrl(stack.rp.config, stack.rp.redirectUri, stack.rp.keys, 'openid profile');
  const uid = /\/interaction\/([^/?#]+)$/.exec((await browser.get(url.href)).url)![1]!;
  const consent = await browser.post(`${stack.issuer}/cie/assertion`, { assertion: JSON.stringify({ interactionUid: uid, ...citizen }) }, 'http://127.0.0.1:9');
  return { uid, pending, consent };
}

test('a citizen who refuses consent sends the RP access_denied with state and iss', async () => {
  const browser = new TestBrowser(stack.rp.redirectUri);
  const { pending, consent } = await signInToConsent(browser);
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

test('a sign-in and its consent are one interaction: the completion answers the consent page (reloadable, its language switch on the interaction\'s page), and the confirm\'s resume answers the RP', async () => {
  const browser = new TestBrowser(stack.rp.redirectUri);
  const { uid, pending, consent } = await signInToConsent(browser);
  // No resume at /auth/:uid, no second interaction and no redirect between the sign-in and the consent.
  expect(consent.url).toMatch(new RegExp(`^${stack.issuer}/interaction/${uid}/cie/complete\\?ticket=`));
  expect(consent.status).toBe(200);
  expect(consent.body).toContain(`action="/interaction/${uid}/confirm"`);
  expect(consent.body).toContain(`href="/interaction/${uid}?lang=en"`);
  // A reload (its ticket spent) and the interaction's own page draw the same consent.
  for (const again of [consent.url, `${stack.issuer}/interaction/${uid}`, `${stack.issuer}/interaction/${uid}?lang=en`]) {
    const page = await browser.get(again);
    expect(page.status).toBe(200);
    expect(page.body).toContain(`action="/interaction/${uid}/confirm"`);
    expect(page.body).toContain('Mario');
  }

  const callback = await browser.post(`${stack.issuer}/interaction/${uid}/confirm`, {}, stack.issuer);
  expect(callback.url.startsWith(stack.rp.redirectUri)).toBe(true);
  const { idToken, userinfo } = await completeLogin(stack.rp.config, new URL(callback.url), pending);
  expect(idToken.acr).toBe(ACR.L3);
  expect(userinfo.given_name).toBe('Mario');
  // The interaction ended with the resume: its page is gone.
  expect((await browser.get(`${stack.issuer}/interaction/${uid}`)).status).toBeGreaterThanOrEqual(400);
});

test('another citizen signing in where someone is still signed in: the consent names the new citizen, the resume signs the browser out first, and the code is the new citizen\'s, never on the earlier grant', async () => {
  const mario = await signIn(stack, stack.rp, { scope: 'openid profile' });
  const browser = mario.browser;
  const luigi = { fiscalCode: 'VRDLGU80A01H501U', claims: { ...CITIZEN.claims, given_name: 'Luigi', family_name: 'Verdi', 'https://attributes.eid.gov.it/fiscal_number': 'TINIT-VRDLGU80A01H501U' } };
  const { pending, consent } = await signInToConsent(browser, luigi);
  expect(consent.body).toContain('Luigi');
  expect(consent.body).not.toContain('Mario');
  const { action, fields } = formIn(consent.body, { action: /\/confirm$/ });
  // oidc-provider's resume: the browser's session is Mario's, so it is ended first (its auto-submitted form).
  const signOut = await browser.post(new URL(action, stack.issuer).href, fields, stack.issuer);
  const logout = formIn(signOut.body, { action: /\/session\/end\/confirm$/ });
  const callback = await browser.post(logout.action, logout.fields, stack.issuer);
  expect(callback.url.startsWith(stack.rp.redirectUri)).toBe(true);
  const { idToken, userinfo } = await completeLogin(stack.rp.config, new URL(callback.url), pending);
  expect(idToken.sub).not.toBe(mario.idToken.sub);
  expect(userinfo.given_name).toBe('Luigi');
  expect(userinfo.family_name).toBe('Verdi');
});
