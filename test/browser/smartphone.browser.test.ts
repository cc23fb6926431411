import { devices, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ACR } from '../../src/oidc/acr.js';
import { DEMO_HOLDER, DEMO_PIN } from '../../src/simulator/demo-environment.js';
import { BROWSER_STEP_TIMEOUT_MS, launchChromium } from '../support/chromium.js';
import { startTestStack, type TestStack } from '../support/local-stack.js';
import { startPhoneApp, type PhoneApp } from '../support/phone-app.js';

// "Prosegui con smartphone" in Chromium (issue 18): the desktop and the phone are two browser contexts
// (two devices: no cookie in common); the phone runs the CieID-app simulator's web app on a card of its
// own; the relying party is the demo RP (openid-client).

let stack: TestStack;
let browser: Browser;
let phoneApp: PhoneApp;
let contexts: BrowserContext[] = [];
const OTP_SECONDS = 30;

beforeAll(async () => {
  // A short OTP life (SMARTPHONE_OTP_TTL, default 120 s): the expiry test waits for it in real time. Long
  // enough for every other test to type its code.
  [stack, browser] = await Promise.all([startTestStack({ providerEnv: { SMARTPHONE_OTP_TTL: String(OTP_SECONDS) } }), launchChromium()]);
  phoneApp = await startPhoneApp(stack.environment, 'phone-browser');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await phoneApp?.close();
  await stack?.dispose();
});

afterEach(async () => {
  await Promise.all(contexts.map((context) => context.close()));
  contexts = [];
});

async function newContext(options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
  const context = await browser.newContext({ locale: 'it-IT', ...options });
  context.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
  contexts.push(context);
  return context;
}

const desktop = async () => (await newContext()).newPage();
const phone = async () => (await newContext({ ...devices['Pixel 5'], locale: 'it-IT' })).newPage();

// Predicates, not RegExps: a RegExp made in jest's VM realm fails Playwright's instanceof check.
const isLoginPage = (url: URL) => url.origin === stack.issuer && /^\/interaction\/[^/]+$/.test(url.pathname);
/** The sign-in's completion answers the consent page. */
const isConsentPage = (url: URL) => url.origin === stack.issuer && /^\/interaction\/[^/]+\/cie\/complete$/.test(url.pathname);
const isSessionPage = (url: URL) => url.origin === stack.issuer && url.pathname.startsWith('/smartphone/session/');

/** RP "Entra con CIE" → the login page → "Prosegui con smartphone" → the page with the QR; returns the QR's link. */
async function desktopShowsQr(page: Page): Promise<string> {
  await page.goto(stack.rpUrl);
  await page.click('#rp-login');
  await page.waitForURL(isLoginPage);
  await page.click('#prosegui-con-smartphone');
  await page.waitForURL(isSessionPage);
  await expect(page.locator('#phone-qr svg[role=img]').count()).resolves.toBe(1);
  await expect(page.locator('#typed-code').textContent()).resolves.toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  return (await page.locator('#phone-qr').getAttribute('data-link'))!;
}

/** Every step the page's live region shows from now on (the SSE events as the page draws them). */
async function recordSteps(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const step = document.getElementById('phone-step')!;
    const seen: string[] = [];
    (window as unknown as { seenSteps: string[] }).seenSteps = seen;
    new MutationObserver(() => seen.push(`${step.dataset.state}: ${step.textContent}`)).observe(step, { attributes: true, attributeFilter: ['data-state'] });
  });
  return () => page.evaluate(() => (window as unknown as { seenSteps: string[] }).seenSteps);
}

const waitForStep = (page: Page, state: string) => page.locator(`#phone-step[data-state="${state}"]`).waitFor();

/** The phone: the app's page, the QR's link pasted (a camera's read), who asks is shown. */
async function phoneOpens(page: Page, qrLink: string, app: PhoneApp = phoneApp): Promise<void> {
  await page.goto(app.url);
  await page.fill('input[name="qr"]', qrLink);
  await page.click('form[action="/open"] button');
}

async function phoneEntersPin(page: Page, pin = DEMO_PIN): Promise<void> {
  await page.fill('input[name="pin"]', pin);
  await page.click('form[action="/pin"] button');
}

async function phoneOtp(page: Page): Promise<string> {
  return (await page.locator('#otp').textContent())!.trim();
}

/** A phone's whole part, from the QR to the OTP it shows. */
async function phoneSignsIn(qrLink: string): Promise<string> {
  const page = await phone();
  await phoneOpens(page, qrLink);
  await expect(page.locator('main strong').textContent()).resolves.toBe('Comune di Esempio');
  await phoneEntersPin(page);
  return phoneOtp(page);
}

async function typeOtp(page: Page, otp: string): Promise<void> {
  await page.fill('#otp', otp);
  await page.click('#otp-submit');
}

/** The consent page → "Consenti" → the RP's welcome at level 3 with the card holder's claims. */
async function consentAndWelcome(page: Page): Promise<void> {
  await page.waitForURL(isConsentPage);
  await expect(page.locator('dl.attributes').textContent()).resolves.toContain(DEMO_HOLDER.fiscalCode);
  await page.click('#allow');
  await page.waitForURL((url) => url.href === `${stack.rpUrl}/`);
  await expect(page.locator('#welcome').textContent()).resolves.toContain('Mario');
  await expect(page.locator('#acr').textContent()).resolves.toBe(ACR.L3);
  await expect(page.locator('#claims').textContent()).resolves.toContain(`TINIT-${DEMO_HOLDER.fiscalCode}`);
}

const otherCode = (otp: string) => String((Number(otp) + 1) % 10 ** otp.length).padStart(otp.length, '0');
const noticeCode = (page: Page) => page.locator('#notice').getAttribute('data-code');

test('desktop + smartphone: QR on the desktop, PIN on the phone, each step pushed to the desktop page, OTP typed on the desktop, consent, tokens at level 3', async () => {
  const page = await desktop();
  const qrLink = await desktopShowsQr(page);
  expect(qrLink).toMatch(new RegExp(`^${stack.issuer}/smartphone/qr#[A-Za-z0-9_-]{43}$`));
  await expect(page.locator('#phone-step').getAttribute('data-state')).resolves.toBe('waiting_for_app');
  const steps = await recordSteps(page);

  const phonePage = await phone();
  await phoneOpens(phonePage, qrLink);
  await expect(phonePage.locator('main').textContent()).resolves.toContain('livello 3');
  await waitForStep(page, 'app_opened');
  await phoneEntersPin(phonePage);
  const otp = await phoneOtp(phonePage);
  expect(otp).toMatch(/^[0-9]{6}$/);
  await waitForStep(page, 'assertion_verified');
  // The page moved by server push alone (no reload), one step at a time, each in words.
  const seen = await steps();
  expect(seen.map((line) => line.split(':')[0])).toEqual(['app_opened', 'assertion_verified']);
  expect(seen.every((line) => line.split(': ')[1]!.length > 0)).toBe(true);
  await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('otp');

  await typeOtp(page, otp);
  await consentAndWelcome(page);
}, 180_000);

test('the smartphone alone: a phone browser gets the smartphone first, hands off to the app and gets back into the same session, then consent', async () => {
  const browserPage = await phone();
  await browserPage.goto(stack.rpUrl);
  await browserPage.click('#rp-login');
  await browserPage.waitForURL(isLoginPage);
  await browserPage.click('#prosegui-con-smartphone');
  await browserPage.waitForURL(isSessionPage);
  const appLink = (await browserPage.locator('#open-app').getAttribute('href'))!;
  expect(appLink).toMatch(new RegExp(`^${stack.issuer}/smartphone/qr#`));

  // The app runs on the same phone: a page of the same context (its browser's cookies).
  const appPage = await browserPage.context().newPage();
  await phoneOpens(appPage, appLink);
  await phoneEntersPin(appPage);
  await appPage.click('#hand-back');
  await consentAndWelcome(appPage);
}, 180_000);

test('a QR works once: a second phone scanning it is refused; two phones racing one QR: exactly one gets the session', async () => {
  const page = await desktop();
  const qrLink = await desktopShowsQr(page);
  const first = await phone();
  await phoneOpens(first, qrLink);
  await expect(first.locator('input[name="pin"]').count()).resolves.toBe(1);
  const second = await phone();
  await phoneOpens(second, qrLink);
  await expect(second.locator('[data-code]').getAttribute('data-code')).resolves.toBe('qr_invalid');

  const racing = await desktop();
  const racedLink = await desktopShowsQr(racing);
  const [a, b] = [await phone(), await phone()];
  await Promise.all([phoneOpens(a, racedLink), phoneOpens(b, racedLink)]);
  const outcomes = await Promise.all([a, b].map(async (p) => ((await p.locator('input[name="pin"]').count()) === 1 ? 'opened' : await p.locator('[data-code]').getAttribute('data-code'))));
  expect(outcomes.sort()).toEqual(['opened', 'qr_invalid']);
}, 180_000);

test('an OTP is bound to its session: typed on another desktop it is refused, and its own desktop still signs in', async () => {
  const own = await desktop();
  const qrLink = await desktopShowsQr(own);
  const other = await desktop();
  await desktopShowsQr(other);
  const otp = await phoneSignsIn(qrLink);
  await typeOtp(other, otp);
  await expect(noticeCode(other)).resolves.toBe('wrong_state');
  await waitForStep(own, 'assertion_verified');
  await typeOtp(own, otp);
  await consentAndWelcome(own);
}, 180_000);

test('a wrong OTP is refused and the right one still works; five wrong ones end the session, after which the right one is refused too', async () => {
  const page = await desktop();
  const otp = await phoneSignsIn(await desktopShowsQr(page));
  await waitForStep(page, 'assertion_verified');
  await typeOtp(page, otherCode(otp));
  await expect(page.locator('#notice').textContent()).resolves.toContain('Codice errato');
  await typeOtp(page, otp);
  await consentAndWelcome(page);

  const guessed = await desktop();
  const right = await phoneSignsIn(await desktopShowsQr(guessed));
  const sessionUrl = guessed.url();
  await waitForStep(guessed, 'assertion_verified');
  for (let attempt = 1; attempt <= 4; attempt += 1) {
    await typeOtp(guessed, otherCode(right));
    await expect(guessed.locator('#notice').textContent()).resolves.toContain('Codice errato');
  }
  await typeOtp(guessed, otherCode(right));
  await expect(noticeCode(guessed)).resolves.toBe('too_many_otp_attempts');
  const late = await guessed.request.post(`${new URL(sessionUrl).origin}${new URL(sessionUrl).pathname}/otp`, { form: { otp: right }, headers: { origin: stack.issuer }, maxRedirects: 0 });
  expect(late.status()).toBe(429);
  expect(await late.text()).toContain('data-code="too_many_otp_attempts"');
}, 180_000);

test('two tabs of one desktop racing with the right OTP: exactly one goes on to consent', async () => {
  const page = await desktop();
  const otp = await phoneSignsIn(await desktopShowsQr(page));
  const tab = await page.context().newPage();
  await tab.goto(page.url());
  await Promise.all([waitForStep(page, 'assertion_verified'), waitForStep(tab, 'assertion_verified')]);
  await Promise.all([page.fill('#otp', otp), tab.fill('#otp', otp)]);
  await Promise.all([page.click('#otp-submit'), tab.click('#otp-submit')]);
  await Promise.all([page.waitForLoadState(), tab.waitForLoadState()]);
  const where = await Promise.all([page, tab].map(async (p) => (isConsentPage(new URL(p.url())) && (await p.locator('#allow').count()) === 1 ? 'consent' : await noticeCode(p))));
  expect(where.sort()).toEqual(['consent', 'wrong_state']);
}, 180_000);

test('the card pulled away from the phone mid-read: the app says so, the desktop stays at "app opened", and the retry on the same session signs in', async () => {
  const page = await desktop();
  const qrLink = await desktopShowsQr(page);
  const phonePage = await phone();
  await phoneOpens(phonePage, qrLink);
  await waitForStep(page, 'app_opened');
  phoneApp.pullCardDuringNextRead();
  await phoneEntersPin(phonePage);
  await expect(phonePage.locator('[role=alert]').textContent()).resolves.toContain('La carta è stata allontanata');
  await expect(page.locator('#phone-step').getAttribute('data-state')).resolves.toBe('app_opened');
  await phoneEntersPin(phonePage);
  const otp = await phoneOtp(phonePage);
  await waitForStep(page, 'assertion_verified');
  await typeOtp(page, otp);
  await consentAndWelcome(page);
}, 180_000);

test('the desktop page reloaded mid-way resumes at the right step and keeps following the phone by server push', async () => {
  const page = await desktop();
  const qrLink = await desktopShowsQr(page);
  const phonePage = await phone();
  await phoneOpens(phonePage, qrLink);
  await waitForStep(page, 'app_opened');
  await page.reload();
  await expect(page.locator('#phone-step').getAttribute('data-state')).resolves.toBe('app_opened');
  const steps = await recordSteps(page);
  await phoneEntersPin(phonePage);
  const otp = await phoneOtp(phonePage);
  await waitForStep(page, 'assertion_verified');
  expect((await steps()).map((line) => line.split(':')[0])).toEqual(['assertion_verified']);
  await typeOtp(page, otp);
  await consentAndWelcome(page);
}, 180_000);

test('an OTP not typed in time: a wrong one is refused, then at its deadline the page itself shows it expired (server push), and the right one is refused', async () => {
  const page = await desktop();
  const otp = await phoneSignsIn(await desktopShowsQr(page));
  const sessionUrl = new URL(page.url());
  await waitForStep(page, 'assertion_verified');
  await typeOtp(page, otherCode(otp));
  await expect(page.locator('#notice').textContent()).resolves.toContain('Codice errato');
  // The OTP lives OTP_SECONDS here; the stream's refresh (2 s) finds it expired and the page reloads into the error page.
  await page.locator('#notice[data-code="otp_expired"]').waitFor({ timeout: (OTP_SECONDS + 60) * 1000 });
  const late = await page.request.post(`${sessionUrl.origin}${sessionUrl.pathname}/otp`, { form: { otp }, headers: { origin: stack.issuer }, maxRedirects: 0 });
  expect(late.status()).toBe(410);
  expect(await late.text()).toContain('data-code="otp_expired"');
}, 180_000);
