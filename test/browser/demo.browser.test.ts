import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ACR } from '../../src/oidc/acr.js';
import { projectRoot } from '../../src/shared/project-root.js';
import { DEMO_HOLDER, DEMO_PIN } from '../../src/simulator/demo-environment.js';
import { BROWSER_STEP_TIMEOUT_MS, launchChromium } from '../support/chromium.js';
import { startTestStack, type TestStack } from '../support/local-stack.js';

const SCREENSHOTS = join(projectRoot(), 'test-output', 'screenshots');
const PHONE = { width: 390, height: 844 };

let stack: TestStack;
let browser: Browser;
let context: BrowserContext;
/** What the browser reported while the current test ran (CSP violations, failed loads): shown when a step is not reached. */
let consoleErrors: string[] = [];

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  // The signed-in account page reads the credentials' database: opened at start, not inside a browser step.
  [stack, browser] = await Promise.all([startTestStack({ openCredentialsAtStart: true }), launchChromium()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.dispose();
});

// A fresh context per test: no cookies or sessions leak from one scenario into the next.
afterEach(async () => {
  await context?.close();
});

async function openPage(viewport?: { width: number; height: number }): Promise<Page> {
  context = await browser.newContext({ locale: 'it-IT', ...(viewport ? { viewport } : {}) });
  // Well under jest's own timeout, so a stuck step fails with Playwright's message instead.
  context.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
  consoleErrors = [];
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  return page;
}

// A whole card sign-in took 14.6 s here under load 12 (jest's default is 30 s); a few steps, each allowed
// BROWSER_STEP_TIMEOUT_MS, fit well within this.
const TOUR_TIMEOUT = 120_000;

function shoot(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

// Predicates, not RegExps: a RegExp made in jest's VM realm fails Playwright's instanceof check.
async function reach(page: Page, step: string, isThere: (url: URL) => boolean): Promise<void> {
  try {
    await page.waitForURL(isThere);
  } catch (error) {
    const code = await page.locator('[data-code]').first().getAttribute('data-code', { timeout: 1000 }).catch(() => null);
    throw new Error(`${step} not reached; stuck at ${page.url()} (data-code ${code}); browser console: ${consoleErrors.join(' | ') || 'nothing'}`, { cause: error });
  }
}

/** RP home → "Entra con CIE" → the provider's login page. */
async function reachLoginPage(page: Page, shotPrefix: string): Promise<void> {
  await page.goto(stack.rpUrl);
  await shoot(page, `${shotPrefix}-1-rp-home`);
  await page.click('#rp-login');
  await reach(page, 'the provider login page', (url) => url.origin === stack.issuer && /^\/interaction\/[^/]+$/.test(url.pathname));
  await shoot(page, `${shotPrefix}-2-provider-login`);
}

/** Login page → the bridge's PIN page. */
async function reachPinPage(page: Page): Promise<void> {
  await page.click('#entra-con-cie');
  await reach(page, 'the bridge PIN page', (url) => url.origin === stack.bridge.url && url.pathname === '/login');
}

/** The official button keeps its 5:1 shape (never stretched) and stays at least 40 px tall. */
async function expectOfficialButtonShape(page: Page, selector: string): Promise<void> {
  const box = await page.locator(`${selector} img`).boundingBox();
  expect(box).not.toBeNull();
  expect(box!.height).toBeGreaterThanOrEqual(40);
  expect(box!.width / box!.height).toBeCloseTo(281.5 / 56.3, 1);
}

test('a citizen signs in through Chromium: RP → login → bridge PIN → consent → RP welcome', async () => {
  const page = await openPage();
  await reachLoginPage(page, 'signin');
  await expectOfficialButtonShape(page, '#entra-con-cie');

  await reachPinPage(page);
  await expect(page.locator('#origin').textContent()).resolves.toBe(stack.issuer);
  await shoot(page, 'signin-3-bridge-pin');

  await page.fill('#pin', DEMO_PIN);
  await page.click('#confirm');
  // The bridge's answer page posts itself to the provider, which then shows the consent page.
  await reach(page, 'the consent page', (url) => url.origin === stack.issuer && /^\/interaction\/[^/]+\/cie\/complete$/.test(url.pathname));
  const labels = await page.locator('dl.attributes dt').allTextContents();
  expect(labels).toEqual(expect.arrayContaining(['Nome', 'Cognome', 'Data di nascita', 'Codice fiscale', 'Indirizzo e-mail']));
  expect(labels).not.toContain('Luogo di nascita');
  await expect(page.locator('dl.attributes').textContent()).resolves.toContain(DEMO_HOLDER.fiscalCode);
  await shoot(page, 'signin-4-consent');

  await page.click('#allow');
  await reach(page, 'the RP welcome page', (url) => url.href === `${stack.rpUrl}/`);
  await expect(page.locator('#welcome').textContent()).resolves.toContain('Mario');
  await expect(page.locator('#acr').textContent()).resolves.toBe(ACR.L3);
  await expect(page.locator('#claims').textContent()).resolves.toContain(`TINIT-${DEMO_HOLDER.fiscalCode}`);
  await shoot(page, 'signin-5-rp-welcome');
}, TOUR_TIMEOUT);

test('the demo RP\'s sign-in with offline access yields a refresh token, and "I tuoi accessi" lists the grant', async () => {
  const page = await openPage();
  await page.goto(stack.rpUrl);
  await shoot(page, 'offline-0-rp-home');
  await page.click('#rp-login-offline');
  await reach(page, 'the provider login page', (url) => url.origin === stack.issuer && /^\/interaction\/[^/]+$/.test(url.pathname));
  await reachPinPage(page);
  await page.fill('#pin', DEMO_PIN);
  await page.click('#confirm');
  await reach(page, 'the consent page', (url) => url.origin === stack.issuer && /^\/interaction\/[^/]+\/cie\/complete$/.test(url.pathname));
  await page.click('label[for="offline_access"]'); // the kit draws the box on the label
  await shoot(page, 'offline-1-consent');
  await page.click('#allow');
  await reach(page, 'the RP welcome page', (url) => url.href === `${stack.rpUrl}/`);
  // The RP shows this only when the token response carried a refresh token.
  await expect(page.locator('#offline').getAttribute('data-offline')).resolves.toBe('granted');
  await shoot(page, 'offline-2-rp-welcome');

  await page.click('#offline a');
  await reach(page, '"I tuoi accessi"', (url) => url.href === `${stack.issuer}/account`);
  await page.click('#entra-con-cie');
  await reach(page, 'the bridge PIN page', (url) => url.origin === stack.bridge.url && url.pathname === '/login');
  await page.fill('#pin', DEMO_PIN);
  await page.click('#confirm');
  await reach(page, '"I tuoi accessi", signed in', (url) => url.href === `${stack.issuer}/account`);
  const access = page.locator(`section.offline-access[data-client-id="${stack.rp.clientId}"]`);
  await expect(access.locator('h2').textContent()).resolves.toBe('Comune di Esempio');
  await shoot(page, 'offline-3-account');
}, TOUR_TIMEOUT);

test('a wrong PIN shows the tries left on the bridge page (phone width)', async () => {
  // A card of its own, so the demo card's PIN tries stay untouched.
  stack.insertCard(await stack.environment.mintCardFile('browser-wrong-pin'));
  try {
    const page = await openPage(PHONE);
    await reachLoginPage(page, 'phone');
    await expectOfficialButtonShape(page, '#entra-con-cie');
    await reachPinPage(page);
    await shoot(page, 'phone-3-bridge-pin');

    await page.fill('#pin', '11111111');
    await page.click('#confirm');
    await expect(page.locator('#notice').getAttribute('data-code')).resolves.toBe('wrong_pin');
    await expect(page.locator('#notice').textContent()).resolves.toContain('Ti restano 2 tentativi');
    await shoot(page, 'phone-4-bridge-wrong-pin');
    // Nothing is wider than the phone: no sideways scrolling.
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(PHONE.width);
  } finally {
    stack.insertCard(join(stack.environment.dir, 'cards', 'demo-card.json'));
  }
}, TOUR_TIMEOUT);

test('the language switch on the login page shows it in English', async () => {
  const page = await openPage();
  await reachLoginPage(page, 'english');
  await page.click('#switch-language[hreflang="en"]');
  await reach(page, 'the English login page', (url) => url.searchParams.get('lang') === 'en');
  await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
  await expect(page.locator('h1').textContent()).resolves.toBe('Sign in with your Electronic Identity Card');
  await expect(page.locator('#entra-con-cie img').getAttribute('alt')).resolves.toBe('Entra con CIE');
  await expect(page.locator('#switch-language').textContent()).resolves.toBe('Italiano');
  await shoot(page, 'english-3-provider-login-en');
}, TOUR_TIMEOUT);
