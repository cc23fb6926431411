import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { projectRoot } from '../../src/shared/project-root.js';
import { DEMO_PIN, DEMO_PUK } from '../../src/simulator/demo-environment.js';
import { BROWSER_STEP_TIMEOUT_MS, launchChromium } from '../support/chromium.js';
import { wcagViolations } from '../support/wcag-violations.js';
import { cspViolation } from '../support/csp-violation.js';
import { startTestStack, type TestStack } from '../support/local-stack.js';

// Issue 16: a citizen whose PIN is blocked never needs a terminal. Blocked PIN → unblock with the PUK
// in the bridge's own pages → back to the same sign-in → the service. Every bridge page on the way,
// its error states included, has no WCAG 2.1 A/AA violation (axe-core) and no CSP violation.

const SCREENSHOTS = join(projectRoot(), 'test-output', 'screenshots');
const NEW_PIN = '27182818';
const WRONG_PIN = '00000001';

let stack: TestStack;
let browser: Browser;
let context: BrowserContext;
let problems: string[];

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  [stack, browser] = await Promise.all([startTestStack(), launchChromium()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await stack?.dispose();
});

afterEach(async () => {
  await context?.close();
  stack.insertCard(join(stack.environment.dir, 'cards', 'demo-card.json'));
});

async function openPage(language: 'it' | 'en'): Promise<Page> {
  context = await browser.newContext({ locale: language === 'en' ? 'en-GB' : 'it-IT' });
  context.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
  problems = [];
  const page = await context.newPage();
  page.on('console', (message) => {
    const violation = cspViolation(page.url(), message.text());
    if (violation) problems.push(`CSP on ${violation}`);
  });
  return page;
}

/** axe's WCAG 2.1 AA rules on the page as it is now; a screenshot for the record. */
async function check(page: Page, name: string): Promise<void> {
  for (const violation of await wcagViolations(page)) problems.push(`${name}: ${violation}`);
  await page.screenshot({ path: join(SCREENSHOTS, `bridge-${name}.png`), fullPage: true });
}

async function noticeCode(page: Page): Promise<string | null> {
  return page.locator('#notice').getAttribute('data-code');
}

/** RP → "Entra con CIE" → the bridge's PIN page, on a fresh card of its own. */
async function reachPinPage(page: Page, cardName: string): Promise<void> {
  stack.insertCard(await stack.environment.mintCardFile(cardName));
  await page.goto(stack.rpUrl);
  await page.click('#rp-login');
  await page.waitForURL((url) => url.origin === stack.issuer && /^\/interaction\/[^/]+$/.test(url.pathname));
  await page.click('#entra-con-cie');
  await page.waitForURL((url) => url.origin === stack.bridge.url && url.pathname === '/login');
}

/** Types a wrong PIN; the card's progress page shows, then the PIN page again with the tries left. */
async function wrongPin(page: Page): Promise<void> {
  await page.fill('#pin', WRONG_PIN);
  await page.click('#confirm');
  await page.waitForURL((url) => url.pathname === '/login/result');
}

for (const language of ['it', 'en'] as const) {
  test(`blocked PIN → unblock with the PUK → the same sign-in → the service, every page accessible (${language})`, async () => {
    const page = await openPage(language);
    await reachPinPage(page, `browser-unblock-${language}`);
    await check(page, `pin-${language}`);

    // A PIN of the wrong length: our own message, focus on the field, nothing sent.
    await page.fill('#pin', '1234');
    await page.click('#confirm');
    await expect(page.locator('#pin-error').textContent()).resolves.toBe(language === 'it' ? 'Il PIN deve essere composto da 8 cifre.' : 'The PIN must be 8 digits.');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('pin');
    expect(new URL(page.url()).pathname).toBe('/login');
    await check(page, `pin-wrong-length-${language}`);

    // The progress page, held while axe looks at it: the status answer waits until then.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/login/status**', async (route) => {
      await held;
      await route.continue();
    });
    await page.fill('#pin', WRONG_PIN);
    await page.click('#confirm');
    await page.waitForURL((url) => url.pathname === '/login/progress');
    await check(page, `progress-${language}`);
    release();
    await page.waitForURL((url) => url.pathname === '/login/result');
    await page.unroute('**/login/status**');
    expect(await noticeCode(page)).toBe('wrong_pin');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('notice');
    await check(page, `pin-wrong-${language}`);

    await wrongPin(page);
    await wrongPin(page);
    expect(await noticeCode(page)).toBe('pin_blocked');
    const blockedText = await page.locator('main').textContent();
    expect(blockedText).not.toMatch(/cie-bridge|esegui|terminal/i);
    await expect(page.locator('#back-to-service').isVisible()).resolves.toBe(true);
    await check(page, `blocked-${language}`);

    await page.click('#unblock');
    await page.waitForURL((url) => url.pathname === '/pin/unblock');
    await check(page, `unblock-${language}`);
    // A weak new PIN: the rules say so as the citizen types, and the server refuses it.
    await page.fill('#puk', DEMO_PUK);
    await page.fill('#next', '11111111');
    await expect(page.locator('[data-rule="repeated"]').getAttribute('class')).resolves.toBe('not-met');
    await page.fill('#again', '11111111');
    await page.click('#confirm');
    await page.waitForURL((url) => url.pathname === '/pin/unblock' && url.search.includes('lang='));
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('notice');
    await check(page, `unblock-weak-${language}`);

    await page.fill('#puk', DEMO_PUK);
    await page.fill('#next', NEW_PIN);
    await page.fill('#again', NEW_PIN);
    for (const rule of ['length', 'repeated', 'sequence', 'same']) await expect(page.locator(`[data-rule="${rule}"]`).getAttribute('class')).resolves.toBe('met');
    await page.click('#confirm');
    expect(await noticeCode(page)).toBe('pin_unblocked');
    await check(page, `unblocked-${language}`);

    // Back to the same sign-in, with the new PIN, and on to the service.
    await page.click('#back-to-login');
    await page.waitForURL((url) => url.pathname === '/login');
    await page.fill('#pin', NEW_PIN);
    await page.click('#confirm');
    // The sign-in's completion answers the consent page.
    await page.waitForURL((url) => url.origin === stack.issuer && /^\/interaction\/[^/]+\/cie\/complete$/.test(url.pathname));
    await page.click('#allow');
    await page.waitForURL((url) => url.href === `${stack.rpUrl}/`);
    await expect(page.locator('#welcome').textContent()).resolves.toContain('Mario');

    expect(problems).toEqual([]);
  }, 180_000);
}

test('"Torna al servizio" on the blocked page goes back to the provider, which leads back to the service', async () => {
  const page = await openPage('it');
  await reachPinPage(page, 'browser-back-to-service');
  for (let i = 0; i < 3; i += 1) await wrongPin(page);
  expect(await noticeCode(page)).toBe('pin_blocked');
  await page.click('#back-to-service');
  await page.waitForURL((url) => url.origin === stack.issuer && url.pathname.endsWith('/cie/complete'));
  await expect(page.locator('main').textContent()).resolves.toContain('Hai annullato l’accesso con la CIE.');
  expect(problems).toEqual([]);
}, 120_000);

test('the card page: tries left, change the PIN, in both languages, accessible', async () => {
  stack.insertCard(await stack.environment.mintCardFile('browser-card-page'));
  const page = await openPage('it');
  await page.goto(`${stack.bridge.url}/`);
  await expect(page.locator('#pin-tries').textContent()).resolves.toBe('3 su 3');
  await check(page, 'card-it');
  await page.click('#switch-language');
  await page.waitForURL((url) => url.searchParams.get('lang') === 'en');
  await expect(page.locator('#puk-tries').textContent()).resolves.toBe('10 of 10');
  await check(page, 'card-en');

  await page.click('#change-pin');
  await page.waitForURL((url) => url.pathname === '/pin/change');
  await check(page, 'change-en');
  await page.fill('#current', WRONG_PIN);
  await page.fill('#next', NEW_PIN);
  await page.fill('#again', NEW_PIN);
  await page.click('#confirm');
  await expect(page.locator('#notice').textContent()).resolves.toContain('Wrong PIN. 2 attempts left.');
  await check(page, 'change-wrong-en');
  await page.fill('#current', DEMO_PIN);
  await page.fill('#next', NEW_PIN);
  await page.fill('#again', NEW_PIN);
  await page.click('#confirm');
  expect(await noticeCode(page)).toBe('pin_changed');
  await check(page, 'changed-en');
  await page.click('#back-to-card');
  await expect(page.locator('#pin-tries').textContent()).resolves.toBe('3 of 3');
  expect(problems).toEqual([]);
}, 180_000);
