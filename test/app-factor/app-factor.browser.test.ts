import { createServer, type Server } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { devices } from 'playwright-core';
import { completeLogin, type PendingLogin } from '../../src/demo-rp/rp-client.js';
import { ACR } from '../../src/oidc/acr.js';
import { freePort } from '../../src/shared/free-port.js';
import { closeNow, listen } from '../../src/shared/http-server.js';
import { createAppWeb } from '../../src/simulator/app/app-web.js';
import { DeviceKeyStore } from '../../src/simulator/app/device-key-store.js';
import { DEMO_PIN } from '../../src/simulator/demo-environment.js';
import { BROWSER_STEP_TIMEOUT_MS, launchChromium } from '../support/chromium.js';
import { EMAIL, PASSWORD, SECURITY_CODE, startAppFactorStack, type AppFactorStack } from './support/app-factor-stack.js';

// The CieID app as a level-2 factor in Chromium, two devices as two browser contexts: the desktop signs in
// on the provider's pages (their script follows the approval and goes on by itself), the phone runs the app
// simulator's web pages on a card of its own. One browser; each flow the fewest page loads that prove it.

let stack: AppFactorStack;
let browser: Browser;
let appServer: Server;
let appUrl: string;
const contexts: BrowserContext[] = [];
const callbacks = new Map<BrowserContext, string>();

beforeAll(async () => {
  [stack, browser] = await Promise.all([startAppFactorStack(), launchChromium()]);
  const port = await freePort();
  appUrl = `http://127.0.0.1:${port}`;
  appServer = createServer(createAppWeb({ reader: await stack.phoneReader(), store: DeviceKeyStore.inMemory(), providerOrigin: stack.issuer }).callback());
  await listen(appServer, port, '127.0.0.1');
}, 180_000);

afterAll(async () => {
  await Promise.all(contexts.map((context) => context.close()));
  await browser?.close();
  if (appServer) await closeNow(appServer);
  await stack?.close();
});

async function newPage(options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
  const context = await browser.newContext({ locale: 'it-IT', ...options });
  context.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
  contexts.push(context);
  // The RP's callback is caught here; openid-client finishes the login.
  await context.route(`${stack.rp.redirectUri}**`, async (route) => {
    callbacks.set(context, route.request().url());
    await route.fulfill({ status: 200, contentType: 'text/plain', body: 'ok' });
  });
  return context.newPage();
}

/** The desktop: the RP's level-2 request → the login page. */
async function desktopAtLevelTwo(): Promise<{ page: Page; pending: PendingLogin }> {
  const page = await newPage();
  const { url, pending } = await stack.authorization(ACR.L2);
  await page.goto(url.href);
  return { page, pending };
}

/** The desktop page goes on by itself once the app answered: consent → the RP's callback → the ID token. */
async function consentToIdToken(page: Page, pending: PendingLogin) {
  await page.locator('#allow').click();
  await page.waitForURL((url) => url.href.startsWith(stack.rp.redirectUri));
  return (await completeLogin(stack.rp.config, new URL(callbacks.get(page.context())!), pending)).idToken;
}

let phone: Page;

test('the phone certifies itself with the card; QR on the desktop, approved on the phone; the desktop reaches the RP at level 2', async () => {
  phone = await newPage({ ...devices['Pixel 5'], locale: 'it-IT' });
  await phone.goto(`${appUrl}/certify`);
  await phone.fill('input[name="security_code"]', SECURITY_CODE);
  await phone.fill('input[name="security_code_again"]', SECURITY_CODE);
  await phone.fill('input[name="pin"]', DEMO_PIN);
  await phone.click('#certify');
  await expect(phone.locator('#certified').textContent()).resolves.toContain('predefinito');

  const { page, pending } = await desktopAtLevelTwo();
  await page.click('#entra-con-app');
  const qrLink = (await page.locator('#app-qr').getAttribute('data-link'))!;
  await expect(page.locator('#app-qr svg').count()).resolves.toBe(1);

  await phone.goto(`${appUrl}/l2`);
  await phone.fill('input[name="qr"]', qrLink);
  await phone.fill('input[name="security_code"]', SECURITY_CODE);
  await phone.click('#open-l2');
  await expect(phone.locator('main strong').textContent()).resolves.toBe('Comune di Esempio');
  await phone.click('#approve');
  await expect(phone.locator('#approval-state').getAttribute('data-state')).resolves.toBe('approved');

  const idToken = await consentToIdToken(page, pending);
  expect(idToken.acr).toBe(ACR.L2);
  expect(idToken.amr).toEqual(['swk', 'pin', 'mfa']);
}, 180_000);

test('password + push with number matching: the desktop shows a number, the phone offers three and the citizen taps it; the desktop reaches the RP at level 2', async () => {
  const { page, pending } = await desktopAtLevelTwo();
  await page.click('#entra-con-password-app');
  await page.fill('input[name="username"]', EMAIL);
  await page.fill('input[name="password"]', PASSWORD);
  await page.click('#password-form #submit');
  const number = (await page.locator('#app-number').textContent())!.trim();
  expect(number).toMatch(/^[1-9][0-9]$/);

  await phone.goto(`${appUrl}/pending`);
  await phone.fill('input[name="security_code"]', SECURITY_CODE);
  await phone.click('#check-pending');
  const offered = await phone.locator('button.number').allTextContents();
  expect(offered).toHaveLength(3);
  expect(offered).toContain(number);
  await phone.click(`button.number[value="${number}"]`);
  await expect(phone.locator('#approval-state').getAttribute('data-state')).resolves.toBe('approved');

  const idToken = await consentToIdToken(page, pending);
  expect(idToken.acr).toBe(ACR.L2);
  expect(idToken.amr).toEqual(['pwd', 'swk', 'pin', 'mfa']);
}, 180_000);
