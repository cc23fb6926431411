import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { LocalStack } from '../src/demo/local-stack.js';
import { DEMO_PIN } from '../src/simulator/demo-environment.js';

/** More than the provider's default CARD_CHALLENGES_PER_INTERACTION (10): the tour meets the limit. */
const MAX_CHALLENGE_ATTEMPTS = 30;

/** One page in one state, as the citizen sees it. `provider`: served by the provider (the accessibility tests cover those). */
export interface TourStop {
  name: string;
  provider: boolean;
  page: Page;
}

export interface TourOptions {
  language: 'it' | 'en';
  viewport: { width: number; height: number };
  /** Added to every stop's name after the language (e.g. `-phone`). */
  suffix?: string;
  /** The RP of a second demo whose provider's state storage is down (REDIS_URL to a closed port): the provider's 503 page is a stop. */
  outageRpUrl?: string;
  /** Called at every stop, in order, while the page shows that state. */
  visit: (stop: TourStop) => Promise<void>;
}

/**
 * Walks a browser through every citizen page and state of the demo (docs/ui.md): the RP, the login
 * page, the lost-codes help, a cancel at the card program and its error page, the consent page, a
 * denied consent back at the RP, an offline-access sign-in, the account page and its notices, an
 * expired sign-in, a refused authorization request, too many card attempts (429), the storage
 * outage page (503, through `outageRpUrl`), the bridge's card pages (tries left, change PIN and its
 * errors, unblock), and the footer's pages. `npm run screens` photographs each stop; the browser
 * tests check each provider stop for accessibility. Returns the browser context (the caller closes it).
 */
export async function tourPages(browser: Browser, stack: Pick<LocalStack, 'issuer' | 'rpUrl' | 'bridge'>, options: TourOptions): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: options.language === 'en' ? 'en-GB' : 'it-IT', viewport: options.viewport });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  const suffix = `-${options.language}${options.suffix ?? ''}`;
  const stop = (name: string, provider = true) => options.visit({ name: `${name}${suffix}`, provider, page });
  const onProvider = (pathname: RegExp) => page.waitForURL((url) => url.origin === stack.issuer && pathname.test(url.pathname));
  const onBridge = () => page.waitForURL((url) => url.origin === stack.bridge.url && url.pathname === '/login');
  const onRp = () => page.waitForURL((url) => url.origin === stack.rpUrl);
  const enterPin = async () => {
    await onBridge();
    await page.fill('#pin', DEMO_PIN);
    await page.click('#confirm');
  };

  await page.goto(stack.rpUrl);
  await stop('rp-home', false);
  await page.click('#rp-login-offline');
  await onProvider(/^\/interaction\/[^/]+$/);
  await stop('login');

  await page.click('#lost-codes');
  await onProvider(/^\/help\/lost-codes$/);
  await stop('lost-codes');
  await page.goBack();
  await onProvider(/^\/interaction\/[^/]+$/);

  await page.click('#entra-con-cie');
  await onBridge();
  await stop('bridge-pin', false);
  await page.click('#cancel');
  await onProvider(/\/cie\/complete$/);
  await stop('error-cancelled');

  await page.click('#retry');
  await enterPin();
  // The sign-in's completion answers the consent page.
  await onProvider(/^\/interaction\/[^/]+\/cie\/complete$/);
  await page.locator('#allow').waitFor();
  await stop('consent');
  await page.click('#deny');
  await onRp();
  await page.locator('#rp-error').waitFor();
  await stop('rp-denied', false);

  await page.goto(`${stack.rpUrl}/login/offline`);
  await onProvider(/^\/interaction\/[^/]+$/);
  await page.click('#entra-con-cie');
  await enterPin();
  await page.locator('#allow').waitFor();
  await page.click('label[for="offline_access"]');
  await page.click('#allow');
  await page.waitForURL((url) => url.origin === stack.rpUrl && url.pathname === '/');
  await page.locator('#welcome').waitFor();
  await stop('rp-signed-in', false);

  await page.goto(`${stack.issuer}/account`);
  await stop('account-sign-in');
  await page.click('#entra-con-cie');
  await enterPin();
  await page.waitForURL((url) => url.href === `${stack.issuer}/account`);
  await stop('account');
  await page.locator('button.withdraw').first().click();
  await page.waitForURL((url) => url.searchParams.get('done') === 'withdrawn');
  await stop('account-withdrawn');
  await page.click('#sign-out');
  await page.waitForURL((url) => url.searchParams.get('done') === 'signed-out');
  await stop('account-signed-out');

  await page.goto(`${stack.issuer}/interaction/no-such-sign-in`);
  await stop('error-session-expired');
  // An authorization request the provider refuses outright (unknown client): oidc-provider's error, our page.
  await page.goto(`${stack.issuer}/auth?client_id=no-such-client&response_type=code&scope=openid`);
  await stop('error-authorization');
  // Too many attempts: "Entra con CIE" again and again in one sign-in until the provider answers 429.
  // The earlier clicks go through the context's request API (same cookies) and stop at the redirect: a
  // real visit to the bridge's PIN page would hold one of its few open requests each time.
  await page.goto(`${stack.rpUrl}/login`);
  await onProvider(/^\/interaction\/[^/]+$/);
  const cardStep = new URL(`${new URL(page.url()).pathname}/cie`, stack.issuer).href;
  for (let attempt = 0; attempt < MAX_CHALLENGE_ATTEMPTS; attempt++) {
    const answer = await page.request.post(cardStep, { maxRedirects: 0, headers: { origin: stack.issuer } });
    if (answer.status() === 429) break;
  }
  await page.click('#entra-con-cie');
  await page.locator('#notice[data-code="too_many_challenges"]').waitFor();
  await stop('error-too-many-attempts');
  if (options.outageRpUrl) {
    // A provider whose state storage is unreachable: the outage page (503) every browser route answers meanwhile.
    await page.goto(`${options.outageRpUrl}/login`);
    await page.locator('#notice[data-code="temporarily_unavailable"]').waitFor();
    await stop('error-storage-outage');
  }
  // The bridge's own card pages (the citizen's "Software CIE"): the card's tries left, change PIN (and
  // its errors, refused before the card is asked), unblock with the PUK.
  await page.goto(`${stack.bridge.url}/?lang=${options.language}`);
  await page.locator('#tries').waitFor();
  await stop('bridge-card', false);
  await page.click('#change-pin');
  await page.locator('#pin-policy').waitFor();
  await stop('bridge-pin-change', false);
  await page.fill('#current', DEMO_PIN);
  await page.fill('#next', '1111');
  await page.fill('#again', '2222');
  await page.click('#confirm');
  await page.locator('#next-error').waitFor();
  await stop('bridge-pin-change-errors', false);
  await page.goto(`${stack.bridge.url}/pin/unblock?lang=${options.language}`);
  await page.locator('#pin-policy').waitFor();
  await stop('bridge-pin-unblock', false);
  for (const [name, path] of [['privacy', '/privacy'], ['accessibility', '/accessibilita'], ['legal-notes', '/note-legali'], ['contacts', '/contatti']] as const) {
    await page.goto(`${stack.issuer}${path}`);
    await stop(name);
  }
  return context;
}
