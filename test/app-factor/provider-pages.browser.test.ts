import type { Browser, Page } from 'playwright-core';
import { ACR } from '../../src/oidc/acr.js';
import { DEMO_HOLDER } from '../../src/simulator/demo-environment.js';
import { launchChromium } from '../support/chromium.js';
import { wcagViolations } from '../support/wcag-violations.js';
import { EMAIL, PASSWORD, useProviderStack } from './support/provider-stack.js';

// The provider's pages of the app as a level-2 factor, in Chromium, pass axe (WCAG 2.1 AA), Italian and English:
// the login page's two entries, "no certified device", the push's waiting page, the QR's waiting page, /app/l2.
const stack = useProviderStack();
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);
afterAll(async () => browser?.close());

async function loginPage(language: 'it' | 'en') {
  const context = await browser.newContext({ locale: language, extraHTTPHeaders: { 'accept-language': language } });
  const page = await context.newPage();
  const { url } = await stack.authorization(ACR.L2);
  await page.goto(url.href);
  return page;
}

async function passwordThenPush(page: Page) {
  await page.click('#entra-con-password-app');
  await page.fill('#username', EMAIL);
  await page.fill('#password', PASSWORD);
  await page.click('#submit');
}

test('without a certified device: the page says so (axe), and leads back to the login page', async () => {
  const page = await loginPage('it');
  await passwordThenPush(page);
  await page.waitForSelector('#no-app-device');
  expect(await wcagViolations(page)).toEqual([]);
  await page.click('#back');
  await page.waitForSelector('#entra-con-app');
  await page.context().close();
}, 120_000);

test.each(['it', 'en'] as const)('%s: the login page\'s entries, the push and the QR waiting pages and /app/l2 pass axe', async (language) => {
  if ((await stack.app.credentials.appDevices.devicesOf(stack.app.credentials.appDevices.citizenIndex(DEMO_HOLDER.fiscalCode))).length === 0) await stack.enrol('Pixel di Mario');
  const page = await loginPage(language);
  expect(await page.locator('#entra-con-app').count()).toBe(1);
  expect(await page.locator('#entra-con-password-app').count()).toBe(1);
  expect(await wcagViolations(page)).toEqual([]);

  await passwordThenPush(page);
  await page.waitForSelector('#app-number');
  expect(await page.locator('#app-status[role="status"][aria-live="polite"]').count()).toBe(1);
  expect(await wcagViolations(page)).toEqual([]);

  const qr = await loginPage(language);
  await qr.click('#entra-con-app');
  await qr.waitForSelector('#app-qr svg[role="img"]');
  expect(await wcagViolations(qr)).toEqual([]);

  await qr.goto(`${stack.issuer}/app/l2#${'A'.repeat(43)}`);
  expect(await wcagViolations(qr)).toEqual([]);
  await Promise.all([page.context().close(), qr.context().close()]);
}, 120_000);
