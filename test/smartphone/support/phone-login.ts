import { readFile } from 'node:fs/promises';
import { parseDeviceAuthKeys } from '../../../src/card/index.js';
import type { LocalStack } from '../../../src/demo/local-stack.js';
import { signInWithApp } from '../../../src/simulator/app/app-client.js';
import { PhoneCardReader } from '../../../src/simulator/app/phone-card-reader.js';
import { openCardFile } from '../../../src/simulator/card/index.js';
import { DEMO_PIN } from '../../../src/simulator/demo-environment.js';
import { InProcessTerminal } from '../../../src/transport/in-process.js';
import { decodeHtml, formIn, type BrowserResponse, type TestBrowser } from '../../support/test-browser.js';

let cards = 0;

/** The CieID-app simulator's NFC reader on a fresh virtual card of the demo holder (PIN DEMO_PIN). */
export async function phoneReader(stack: Pick<LocalStack, 'environment'>): Promise<PhoneCardReader> {
  const keys = parseDeviceAuthKeys(JSON.parse(await readFile(stack.environment.deviceKeysPath, 'utf8')));
  return new PhoneCardReader(new InProcessTerminal(openCardFile(await stack.environment.mintCardFile(`phone-${++cards}`))), keys);
}

/** "Prosegui con smartphone" on a waiter's page (login, account): the browser lands on the session's page. */
export async function startSmartphone(browser: TestBrowser, issuer: string, page: BrowserResponse, fields: Record<string, string> = {}): Promise<BrowserResponse> {
  const { action, fields: hidden } = formIn(page.body, { action: /\/smartphone$/ });
  return browser.post(new URL(action, issuer).href, { ...hidden, card_number: '', ...fields }, issuer);
}

/** The QR's link as the desktop page carries it (`#phone-qr[data-link]`). */
export const qrLinkOf = (page: BrowserResponse) => decodeHtml(/id="phone-qr" data-link="([^"]+)"/.exec(page.body)![1]!);

/** The app signs in from the page's QR and gives the OTP; the browser types it: where the waiter sends it next. */
export async function finishByPhone(browser: TestBrowser, issuer: string, stack: Pick<LocalStack, 'environment'>, page: BrowserResponse): Promise<BrowserResponse> {
  const outcome = await signInWithApp({ entry: { qrLink: qrLinkOf(page) }, reader: await phoneReader(stack), askPin: async () => DEMO_PIN });
  if (outcome.mode !== 'cross_device') throw new Error('expected an OTP');
  const { action } = formIn(page.body, { action: /\/otp$/ });
  return browser.post(new URL(action, issuer).href, { otp: outcome.otp }, issuer);
}
