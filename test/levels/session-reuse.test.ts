import { ACR } from '../../src/oidc/acr.js';
import { TestBrowser, type BrowserResponse } from '../support/test-browser.js';
import { authorizationFor, consentAndTokens, EMAIL, PASSWORD, useActivatedLevelsStack } from './support/levels-stack.js';

/**
 * Single sign-on by level (docs/levels.md rule 5, the SPID rule the profile inherits): a browser's session
 * is reused only for a request that asks for level 1 alone, with prompt "consent" (no "login"); a request
 * that lists level 2 or 3 always signs in afresh. A reused session's ID token says what the sign-in that
 * made it reached, never what the later request asked.
 */
const levels = useActivatedLevelsStack();

const origin = () => levels.stack.issuer;
const startsOf = (page: BrowserResponse) => [...page.body.matchAll(/<form method="post" action="\/interaction\/[^/]+\/([^"]+)"/g)].map((match) => match[1]);
const isConsent = (page: BrowserResponse) => page.status === 200 && page.body.includes('/confirm"');

/** An authorization in `browser`: where it lands (the login page or straight the consent page). */
async function authorize(browser: TestBrowser, acrValues: string, prompt: 'consent' | 'consent login') {
  const { url, pending } = await authorizationFor(levels.stack.rp, acrValues, prompt);
  const page = await browser.get(url.href);
  const uid = /\/interaction\/([^/?#]+)$/.exec(page.url)?.[1];
  if (page.status !== 200 || !uid) throw new Error(`no interaction page: ${page.status} ${page.url} ${page.body.slice(0, 300)}`);
  return { page, uid, pending };
}

/** From the login page: the password method (alone, or with the code mailed), to the consent page. */
async function signInWithPassword(browser: TestBrowser, uid: string, pathName: 'password' | 'password-otp') {
  const page = await browser.post(`${origin()}/interaction/${uid}/${pathName}`, {}, origin());
  const ceremony = `${origin()}/sign-in/password/${/\/sign-in\/password\/([A-Za-z0-9_-]{32})/.exec(page.url)?.[1]}`;
  const afterPassword = await browser.post(ceremony, { username: EMAIL, password: PASSWORD }, origin());
  if (pathName === 'password') return afterPassword;
  return browser.post(`${ceremony}/code`, { code: levels.lastCode() }, origin());
}

test('a level-1 session is reused for a later level-1-only request (prompt consent), with the acr and amr of the password sign-in; never for a request listing level 2 or 3', async () => {
  const browser = new TestBrowser(levels.stack.rp.redirectUri);
  const first = await authorize(browser, ACR.L1, 'consent login');
  const consent = await signInWithPassword(browser, first.uid, 'password');
  const signedIn = await consentAndTokens(levels, browser, consent, first.pending);
  expect(signedIn.idToken.acr).toBe(ACR.L1);
  expect(signedIn.idToken.amr).toEqual(['pwd']);

  // Level 1 alone, no "login": straight to consent, nothing typed again.
  const reused = await authorize(browser, ACR.L1, 'consent');
  expect(isConsent(reused.page)).toBe(true);
  const { idToken } = await consentAndTokens(levels, browser, reused.page, reused.pending);
  expect(idToken.acr).toBe(ACR.L1);
  expect(idToken.amr).toEqual(['pwd']);
  expect(idToken.sub).toBe(signedIn.idToken.sub);

  // Any request listing level 2 or 3 gets the login page, offering only what meets it.
  expect(startsOf((await authorize(browser, ACR.L2, 'consent')).page)).toEqual(['passkey', 'password-otp', 'cie']);
  expect(startsOf((await authorize(browser, ACR.L3, 'consent')).page)).toEqual(['cie']);
  expect(startsOf((await authorize(browser, `${ACR.L1} ${ACR.L2}`, 'consent')).page)).toEqual(['password', 'passkey', 'cie']);
  // "login" in prompt asks again even for level 1.
  expect(startsOf((await authorize(browser, ACR.L1, 'consent login')).page)).toEqual(['password', 'passkey', 'cie']);
});

test('a level-2 session is never reused for level 2; a later level-1 request reuses it and its ID token says level 2 (what happened)', async () => {
  const browser = new TestBrowser(levels.stack.rp.redirectUri);
  const first = await authorize(browser, ACR.L2, 'consent');
  expect(startsOf(first.page)).toEqual(['passkey', 'password-otp', 'cie']);
  const consent = await signInWithPassword(browser, first.uid, 'password-otp');
  const signedIn = await consentAndTokens(levels, browser, consent, first.pending);
  expect(signedIn.idToken.acr).toBe(ACR.L2);

  expect(isConsent((await authorize(browser, ACR.L2, 'consent')).page)).toBe(false);
  expect(startsOf((await authorize(browser, ACR.L2, 'consent')).page)).toEqual(['passkey', 'password-otp', 'cie']);

  const reused = await authorize(browser, ACR.L1, 'consent');
  expect(isConsent(reused.page)).toBe(true);
  const { idToken } = await consentAndTokens(levels, browser, reused.page, reused.pending);
  expect(idToken.acr).toBe(ACR.L2);
  expect(idToken.amr).toEqual(['pwd', 'otp', 'mfa']);
});
