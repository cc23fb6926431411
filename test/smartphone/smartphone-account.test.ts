import { CardLoginFlow } from '../support/card-login-flow.js';
import { startTestStack, type TestStack } from '../support/local-stack.js';
import { finishByPhone, startSmartphone } from './support/phone-login.js';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);

afterAll(async () => {
  await stack?.dispose();
}, 60_000);

test('the account page offers the smartphone too: its sign-in by QR and OTP opens the page of the citizen\'s accesses', async () => {
  const browser = new CardLoginFlow(stack).browser;
  const signInPage = await browser.get(`${stack.issuer}/account`);
  expect(signInPage.body).toContain('id="prosegui-con-smartphone"');
  expect(signInPage.body).toContain('action="/account/smartphone"');
  const page = await startSmartphone(browser, stack.issuer, signInPage);
  expect(page.url).toMatch(/\/smartphone\/session\/[A-Za-z0-9_-]{43}/);
  // The app shows the account page's own name: no relying party asks.
  expect(page.body).toContain(`«${stack.providerConfig.site.operatorName}» chiede`);
  const account = await finishByPhone(browser, stack.issuer, stack, page);
  expect(account.status).toBe(200);
  expect(new URL(account.url).pathname).toBe('/account');
  expect(account.body).toContain('id="signed-in-as"');
  expect(account.body).toContain('id="sign-out"');
}, 60_000);

test('the account page\'s sign-in cookie lasts as long as a smartphone session (plus the ticket), not only a card challenge', async () => {
  const answer = await fetch(`${stack.issuer}/account/smartphone`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: stack.issuer }, body: 'card_number=' });
  const cookie = answer.headers.getSetCookie().find((line) => line.startsWith('account_sign_in='));
  // koa's cookies write maxAge as an `expires` date.
  const expires = Date.parse(/expires=([^;]+)/i.exec(cookie ?? '')?.[1] ?? '');
  expect((expires - Date.now()) / 1000).toBeGreaterThanOrEqual(stack.providerConfig.smartphone.sessionSeconds - 5);
}, 60_000);
