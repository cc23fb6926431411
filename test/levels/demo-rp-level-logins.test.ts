import request from 'supertest';
import { createRelyingPartyApp } from '../../src/demo-rp/rp-app.js';
import { ACR } from '../../src/oidc/acr.js';
import { formIn, TestBrowser } from '../support/test-browser.js';
import { EMAIL, PASSWORD, useActivatedLevelsStack } from './support/levels-stack.js';

// Issue 19: a tester picks a level on the demo RP's page and, after the login, sees the `acr` and `amr`
// of the ID token it got. The demo RP runs on the levels stack's registered RP (its origin, keys and
// provider configuration); the browser stops at the RP's callback, which is then handed to the demo RP.

const levels = useActivatedLevelsStack();

const origin = () => levels.stack.issuer;

function demoRp() {
  const { rp } = levels.stack;
  return createRelyingPartyApp({ origin: new URL(rp.redirectUri).origin, config: () => rp.config, keys: rp.keys }).callback();
}

/** `/login?level=…` on the demo RP: its session cookie and the provider's login page the browser reaches. */
async function startAt(app: ReturnType<typeof demoRp>, level: string) {
  const login = await request(app).get(`/login?level=${level}`);
  expect(login.status).toBe(302);
  const cookie = login.headers['set-cookie']![0]!.split(';')[0]!;
  const browser = new TestBrowser(levels.stack.rp.redirectUri);
  const page = await browser.get(login.headers.location!);
  const uid = /\/interaction\/([^/?#]+)$/.exec(page.url)?.[1];
  if (page.status !== 200 || !uid) throw new Error(`no login page: ${page.status} ${page.url}`);
  return { cookie, browser, uid };
}

/** The password method `pathName` from the login page, then its password page filled in. */
async function password(browser: TestBrowser, uid: string, pathName: string) {
  const started = await browser.post(`${origin()}/interaction/${uid}/${pathName}`, {}, origin());
  const id = /\/sign-in\/password\/([A-Za-z0-9_-]{32})/.exec(started.url)?.[1];
  if (!id) throw new Error(`no password page: ${started.status} ${started.url}`);
  return { id, page: await browser.post(`${origin()}/sign-in/password/${id}`, { username: EMAIL, password: PASSWORD }, origin()) };
}

/** Consent, the callback handed to the demo RP, then its page. */
async function finishAt(app: ReturnType<typeof demoRp>, cookie: string, browser: TestBrowser, consentBody: string) {
  const { action, fields } = formIn(consentBody, { action: /\/confirm$/ });
  const callback = await browser.post(new URL(action, origin()).href, fields, origin());
  expect(callback.url.startsWith(levels.stack.rp.redirectUri)).toBe(true);
  const callbackUrl = new URL(callback.url);
  const done = await request(app).get(`${callbackUrl.pathname}${callbackUrl.search}`).set('Cookie', cookie);
  expect([done.status, done.headers.location]).toEqual([302, '/']);
  return (await request(app).get('/').set('Cookie', cookie)).text;
}

const shown = (page: string, id: string) => new RegExp(`<strong id="${id}">([^<]*)</strong>`).exec(page)?.[1];

test('"Livello 1" on the demo RP: a password login, and the page shows acr SpidL1 and amr pwd', async () => {
  const app = demoRp();
  const { cookie, browser, uid } = await startAt(app, '1');
  const { page: consent } = await password(browser, uid, 'password');
  const page = await finishAt(app, cookie, browser, consent.body);
  expect(page).toContain('id="welcome"');
  expect(shown(page, 'acr')).toBe(ACR.L1);
  expect(shown(page, 'amr')).toBe('pwd');
});

test('"Livello 2" on the demo RP: password + code mailed, and the page shows acr SpidL2 and amr pwd otp mfa', async () => {
  const app = demoRp();
  const { cookie, browser, uid } = await startAt(app, '2');
  const { id } = await password(browser, uid, 'password-otp');
  const consent = await browser.post(`${origin()}/sign-in/password/${id}/code`, { code: levels.lastCode() }, origin());
  const page = await finishAt(app, cookie, browser, consent.body);
  expect(shown(page, 'acr')).toBe(ACR.L2);
  expect(shown(page, 'amr')).toBe('pwd otp mfa');
});

test('"Livello 2" is refused a password alone: the provider does not offer it for the demo RP\'s level-2 request', async () => {
  const app = demoRp();
  const { browser, uid } = await startAt(app, '2');
  const refused = await browser.post(`${origin()}/interaction/${uid}/password`, {}, origin());
  expect(refused.status).toBe(400);
  expect(refused.body).toContain('data-code="wrong_prompt"');
});
