import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { freePort } from '../../src/shared/free-port.js';
import { createRelyingPartyApp } from '../../src/demo-rp/rp-app.js';
import { discoverProvider, relyingPartyMetadata } from '../../src/demo-rp/rp-client.js';
import { loadRelyingPartyKeys } from '../../src/demo-rp/rp-keys.js';
import { ACR } from '../../src/oidc/acr.js';
import { closeNow, listen } from '../../src/shared/http-server.js';
import { DEMO_PIN } from '../../src/simulator/demo-environment.js';
import { BROWSER_STEP_TIMEOUT_MS, launchChromium } from '../support/chromium.js';
import { startTestStack, type TestStack } from '../support/local-stack.js';

// The provider is http://localhost:<port>; this RP is served as http://rp.test:<port>, a different
// site (ports never make sites differ), so its form POST to /auth is a real cross-site request.
const RP_HOST = 'rp.test';

let dir: string;
let stack: TestStack;
let browser: Browser;
let rpServer: Server;
let rpOrigin: string;
let context: BrowserContext;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cie-cross-site-'));
  const rpPort = await freePort();
  rpOrigin = `http://${RP_HOST}:${rpPort}`;
  const keys = await loadRelyingPartyKeys(join(dir, 'rp.json'));
  const metadata = relyingPartyMetadata(rpOrigin, 'Comune Lontano', keys);
  const clientsFile = join(dir, 'clients.json');
  await writeFile(clientsFile, JSON.stringify([metadata]));
  [stack, browser] = await Promise.all([startTestStack({ providerEnv: { CLIENTS_FILE: clientsFile } }), launchChromium({ loopbackHosts: [RP_HOST] })]);
  const config = await discoverProvider(stack.issuer, metadata, keys);
  rpServer = createServer(createRelyingPartyApp({ origin: rpOrigin, config: () => config, keys, authorizationMethod: 'POST' }).callback());
  await listen(rpServer, rpPort, '127.0.0.1');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (rpServer) await closeNow(rpServer);
  await stack?.dispose();
  await rm(dir, { recursive: true, force: true });
});

afterEach(async () => {
  await context?.close();
});

async function openPage(): Promise<Page> {
  context = await browser.newContext({ locale: 'it-IT' });
  context.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
  return context.newPage();
}

// Predicates, not RegExps: a RegExp made in jest's VM realm fails Playwright's instanceof check.
async function reach(page: Page, step: string, isThere: (url: URL) => boolean): Promise<void> {
  try {
    await page.waitForURL(isThere);
  } catch (error) {
    const code = await page.locator('[data-code], [data-error]').first().textContent({ timeout: 1000 }).catch(() => null);
    throw new Error(`${step} not reached; stuck at ${page.url()} (${code ?? 'no error shown'})`, { cause: error });
  }
}

const isInteraction = (url: URL) => url.origin === stack.issuer && /^\/interaction\/[^/]+$/.test(url.pathname);
/** The sign-in's completion answers the consent page. */
const isConsent = (url: URL) => url.origin === stack.issuer && /^\/interaction\/[^/]+\/cie\/complete$/.test(url.pathname);

/** From the "Entra con CIE" button of the RP at `rpUrl` to the RP's welcome page: card, PIN, consent. */
async function signIn(page: Page, rpUrl: string): Promise<void> {
  await page.goto(rpUrl);
  await page.click('#rp-login');
  await reach(page, 'the provider login page', isInteraction);
  await page.click('#entra-con-cie');
  await reach(page, 'the bridge PIN page', (url) => url.origin === stack.bridge.url && url.pathname === '/login');
  await page.fill('#pin', DEMO_PIN);
  await page.click('#confirm');
  await reach(page, 'the consent page', isConsent);
  await page.click('#allow');
  await reach(page, 'the RP welcome page', (url) => url.href === `${rpUrl}/`);
  await expect(page.locator('#acr').textContent()).resolves.toBe(ACR.L3);
}

/** The browser's POST to the authorization endpoint during `action`. */
async function authorizationPostDuring(page: Page, action: () => Promise<void>): Promise<Request> {
  const posted = page.waitForRequest((request) => request.method() === 'POST' && request.url().split('?')[0] === `${stack.issuer}/auth`);
  await action();
  return posted;
}

// Each test runs one or two whole card logins (each several steps of BROWSER_STEP_TIMEOUT_MS under CI load).
const LOGINS_TIMEOUT = 150_000;

test('an RP on another site POSTs the authorization request over http; the card login completes and the RP gets its tokens', async () => {
  const page = await openPage();
  const post = await authorizationPostDuring(page, () => signIn(page, rpOrigin));

  // Chromium's own verdict: a cross-site, top-level form POST carrying the signed request object.
  await expect(post.headerValue('sec-fetch-site')).resolves.toBe('cross-site');
  await expect(post.headerValue('sec-fetch-mode')).resolves.toBe('navigate');
  expect(new URL(post.url()).search).toBe('');
  expect(new URLSearchParams(post.postData() ?? '').get('request')).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  // Over http every provider cookie is SameSite=Lax (browsers refuse None without Secure).
  const providerCookies = await context.cookies(stack.issuer);
  expect(providerCookies.map((cookie) => cookie.name)).toContain('_session');
  for (const cookie of providerCookies) expect(cookie.sameSite).toBe('Lax');
}, LOGINS_TIMEOUT);

test('with a session from an earlier login, a cross-site POST (which cannot carry it) still ends in a fresh card login', async () => {
  const page = await openPage();
  await signIn(page, stack.rpUrl);
  expect((await context.cookies(stack.issuer)).map((cookie) => cookie.name)).toContain('_session');

  // signIn passes through the login page and the card again: the provider asked for a fresh login.
  const post = await authorizationPostDuring(page, () => signIn(page, rpOrigin));

  expect((await post.headerValue('cookie')) ?? '').not.toMatch(/(^|; )_session=/);
  await expect(page.locator('#welcome').textContent()).resolves.toContain('Mario');
}, LOGINS_TIMEOUT);
