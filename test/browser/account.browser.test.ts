import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as client from 'openid-client';
import type { Browser, Page } from 'playwright-core';
import { projectRoot } from '../../src/shared/project-root.js';
import { DEMO_HOLDER, DEMO_PIN } from '../../src/simulator/demo-environment.js';
import { openProviderDatabase } from '../../src/registry-wiring.js';
import { CardLoginFlow } from '../support/card-login-flow.js';
import { BROWSER_STEP_TIMEOUT_MS, launchChromium } from '../support/chromium.js';
import { startTestStack, type TestStack } from '../support/local-stack.js';
import { formIn } from '../support/test-browser.js';

const SCREENSHOTS = join(projectRoot(), 'test-output', 'screenshots');
const PHONE = { width: 390, height: 844 };

let stack: TestStack;
let browser: Browser;

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true });
  // The signed-in account page reads the credentials' database: opened at start, not inside a browser step.
  [stack, browser] = await Promise.all([startTestStack({ openCredentialsAtStart: true }), launchChromium()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  // The credentials room opened the provider's embedded database (its directory is locked): closed before the directory goes.
  if (stack) await (await openProviderDatabase(stack.providerConfig)).close();
  await stack?.dispose();
});

/** The demo RP obtains offline access for the demo citizen (the box ticked on the consent page). */
async function grantOfflineAccess(): Promise<string> {
  const flow = new CardLoginFlow(stack);
  const pinPage = await flow.clickEntraConCie(await flow.openLoginPage('openid profile offline_access'));
  const consent = await flow.forwardAssertion(await flow.enterPin(pinPage, DEMO_PIN));
  const { action, fields } = formIn(consent.body, { action: /\/confirm$/ });
  const callback = await flow.browser.post(new URL(action, stack.issuer).href, { ...fields, offline_access: 'on' }, stack.issuer);
  return (await flow.finish(callback)).tokens.refresh_token!;
}

function shoot(page: Page, name: string): Promise<Buffer> {
  return page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

test('a citizen signs in to "I tuoi accessi" with the card in Chromium and withdraws an RP\'s offline access (phone width)', async () => {
  const refreshToken = await grantOfflineAccess();
  const context = await browser.newContext({ locale: 'it-IT', viewport: PHONE });
  context.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
  try {
    const page = await context.newPage();
    await page.goto(`${stack.issuer}/account`);
    await expect(page.locator('h1').textContent()).resolves.toBe('I tuoi accessi');
    await shoot(page, 'account-1-sign-in');

    await page.click('#entra-con-cie');
    await page.waitForURL((url) => url.origin === stack.bridge.url && url.pathname === '/login');
    await page.fill('#pin', DEMO_PIN);
    await page.click('#confirm');
    // The bridge's answer posts itself to the provider, which lands on the list.
    await page.waitForURL((url) => url.href === `${stack.issuer}/account`);
    await expect(page.locator('#signed-in-as').textContent()).resolves.toContain(DEMO_HOLDER.fiscalCode);
    const access = page.locator(`section.offline-access[data-client-id="${stack.rp.clientId}"]`);
    await expect(access.locator('h2').textContent()).resolves.toBe('Comune di Esempio');
    await expect(access.locator('dd').textContent()).resolves.toContain('Codice fiscale');
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(PHONE.width);
    await shoot(page, 'account-2-list');

    await access.locator('button.withdraw').click();
    await page.waitForURL((url) => url.searchParams.get('done') === 'withdrawn');
    await expect(page.locator('#notice').getAttribute('data-code')).resolves.toBe('withdrawn');
    await expect(page.locator('#no-access').isVisible()).resolves.toBe(true);
    await shoot(page, 'account-3-withdrawn');
    await expect(client.refreshTokenGrant(stack.rp.config, refreshToken)).rejects.toMatchObject({ error: 'invalid_grant' });

    await page.click('#sign-out');
    await page.waitForURL((url) => url.searchParams.get('done') === 'signed-out');
    await expect(page.locator('#entra-con-cie').isVisible()).resolves.toBe(true);
  } finally {
    await context.close();
  }
  // The first card sign-in also opens the provider's embedded database (credentials): slow on a busy machine.
}, 120_000);
