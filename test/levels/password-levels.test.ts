import { ACR } from '../../src/oidc/acr.js';
import { TestBrowser } from '../support/test-browser.js';
import { consentAndTokens, EMAIL, loginPage, PASSWORD, useActivatedLevelsStack } from './support/levels-stack.js';

const levels = useActivatedLevelsStack();

const origin = () => levels.stack.issuer;

/** From the login page: the method's button, then its password page. */
async function startMethod(browser: TestBrowser, uid: string, pathName: string) {
  const page = await browser.post(`${origin()}/interaction/${uid}/${pathName}`, {}, origin());
  const id = /\/sign-in\/password\/([A-Za-z0-9_-]{32})/.exec(page.url)?.[1];
  if (page.status !== 200 || !id) throw new Error(`no password page: ${page.status} ${page.url} ${page.body.slice(0, 200)}`);
  return { page, id };
}

test('level 1: username and password → the ID token says SpidL1 and pwd; userinfo carries the identity the card gave', async () => {
  const { browser, uid, pending, starts } = await loginPage(levels, ACR.L1);
  expect(starts).toEqual(['password', 'passkey', 'cie']);
  const { id } = await startMethod(browser, uid, 'password');
  const consent = await browser.post(`${origin()}/sign-in/password/${id}`, { username: EMAIL, password: PASSWORD }, origin());
  expect(consent.body).toContain('/confirm"');
  const { idToken, userinfo } = await consentAndTokens(levels, browser, consent, pending);
  expect(idToken.acr).toBe(ACR.L1);
  expect(idToken.amr).toEqual(['pwd']);
  expect(userinfo.given_name).toBe('Mario');
});

test('level 2 preferred over 1 ("SpidL2 SpidL1"): passkey and password + code first; the code mailed to the confirmed address → SpidL2, pwd otp mfa', async () => {
  const { browser, uid, pending, starts } = await loginPage(levels, `${ACR.L2} ${ACR.L1}`);
  expect(starts).toEqual(['passkey', 'password-otp', 'cie']);
  const { id } = await startMethod(browser, uid, 'password-otp');
  const codePage = await browser.post(`${origin()}/sign-in/password/${id}`, { username: EMAIL, password: PASSWORD }, origin());
  expect(codePage.status).toBe(200);
  expect(codePage.body).toContain(`action="/sign-in/password/${id}/code"`);
  expect(codePage.body).toContain('m***@example.it');
  // A wrong code first: the form again, the code still good.
  const wrong = await browser.post(`${origin()}/sign-in/password/${id}/code`, { code: levels.lastCode() === '000000' ? '111111' : '000000' }, origin());
  expect(wrong.status).toBe(400);
  expect(wrong.body).toContain('data-error="code_invalid"');
  const consent = await browser.post(`${origin()}/sign-in/password/${id}/code`, { code: levels.lastCode() }, origin());
  expect(consent.body).toContain('/confirm"');
  const { idToken } = await consentAndTokens(levels, browser, consent, pending);
  expect(idToken.acr).toBe(ACR.L2);
  expect(idToken.amr).toEqual(['pwd', 'otp', 'mfa']);
});

test('acr_values decide the offer: SpidL3 → the card only; SpidL2 → no password alone; SpidL1 SpidL3 → password, card, then passkey', async () => {
  expect((await loginPage(levels, ACR.L3)).starts).toEqual(['cie']);
  expect((await loginPage(levels, ACR.L2)).starts).toEqual(['passkey', 'password-otp', 'cie']);
  expect((await loginPage(levels, `${ACR.L3} ${ACR.L2}`)).starts).toEqual(['cie', 'passkey', 'password-otp']);
  expect((await loginPage(levels, `${ACR.L1} ${ACR.L3}`)).starts).toEqual(['password', 'cie', 'passkey']);
});

test('a level-3 request is never finished by a password: its start paths are refused, and a ticket of another interaction is not redeemed', async () => {
  const l3 = await loginPage(levels, ACR.L3);
  for (const pathName of ['password', 'password-otp', 'passkey']) {
    const refused = await l3.browser.post(`${origin()}/interaction/${l3.uid}/${pathName}`, {}, origin());
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('data-code="wrong_prompt"');
  }
  // The same browser signs in with a password for a level-1 interaction and carries its ticket to the level-3 one.
  const l1 = await loginPage(levels, ACR.L1, l3.browser);
  const { id } = await startMethod(l3.browser, l1.uid, 'password');
  const stopping = new TestBrowser(`${origin()}/interaction/${l1.uid}/cie/complete`);
  for (const cookie of await l3.browser.jar.getCookies(`${origin()}/sign-in/password/${id}`)) await stopping.jar.setCookie(cookie, origin());
  const handed = await stopping.post(`${origin()}/sign-in/password/${id}`, { username: EMAIL, password: PASSWORD }, origin());
  const ticket = new URL(handed.url).searchParams.get('ticket');
  expect(ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
  const forged = await l3.browser.get(`${origin()}/interaction/${l3.uid}/cie/complete?ticket=${ticket}`);
  expect(forged.status).toBe(400);
  expect(forged.body).toContain('data-code="challenge_unknown"');
});

test('no user enumeration: an unknown username and a wrong password get the same status and page', async () => {
  const { browser, uid } = await loginPage(levels, ACR.L1);
  const { id } = await startMethod(browser, uid, 'password');
  const unknown = await browser.post(`${origin()}/sign-in/password/${id}`, { username: 'nobody@example.it', password: 'Whatever2024x' }, origin());
  const wrong = await browser.post(`${origin()}/sign-in/password/${id}`, { username: EMAIL, password: 'Whatever2024x' }, origin());
  expect(unknown.status).toBe(401);
  expect(wrong.status).toBe(unknown.status);
  expect(wrong.body).toContain('data-error="invalid_credentials"');
  expect(wrong.body).toBe(unknown.body);
});

test('brute force through HTTP: the username waits after its free failures (429, Retry-After), even with the right password; an unknown username alike', async () => {
  // Earlier tests' failures forgotten, as a card sign-in does.
  await levels.credentials.signIn.recoverAfterCardSignIn('RSSMRA85T10A562S');
  for (const username of ['guess.target@example.it', EMAIL]) {
    const { browser, uid } = await loginPage(levels, ACR.L1);
    const { id } = await startMethod(browser, uid, 'password');
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 8; attempt += 1) {
      statuses.push((await browser.post(`${origin()}/sign-in/password/${id}`, { username, password: `Wrong${attempt}Password` }, origin())).status);
    }
    // The lockout policy's free failures, then the wait (docs/levels.md).
    expect(statuses).toEqual([401, 401, 401, 401, 401, 401, 429, 429]);
    const throttled = await browser.post(`${origin()}/sign-in/password/${id}`, { username, password: PASSWORD }, origin());
    expect(throttled.status).toBe(429);
    expect(throttled.body).toContain('data-error="account_throttled"');
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
  }
  // A card sign-in is the recovery: the citizen's count starts again.
  await levels.credentials.signIn.recoverAfterCardSignIn('RSSMRA85T10A562S');
  const { browser, uid } = await loginPage(levels, ACR.L1);
  const { id } = await startMethod(browser, uid, 'password');
  const after = await browser.post(`${origin()}/sign-in/password/${id}`, { username: EMAIL, password: PASSWORD }, origin());
  expect(after.status).toBe(200);
  expect(after.body).toContain('/confirm"');
});

test('the ceremony belongs to the browser that started it: its URL in another browser is refused', async () => {
  const { browser, uid } = await loginPage(levels, ACR.L1);
  const { id } = await startMethod(browser, uid, 'password');
  const other = new TestBrowser();
  const page = await other.get(`${origin()}/sign-in/password/${id}`);
  expect(page.status).toBe(400);
  expect(page.body).toContain('data-code="challenge_unknown"');
  const post = await other.post(`${origin()}/sign-in/password/${id}`, { username: EMAIL, password: PASSWORD }, origin());
  expect(post.status).toBe(400);
});
