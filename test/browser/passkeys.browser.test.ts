import { createServer, type Server } from 'node:http';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { credentialsMigrations } from '../../src/credentials/credentials-migrations.js';
import { freePort } from '../../src/shared/free-port.js';
import { closeNow, listen } from '../../src/shared/http-server.js';
import type { Database } from '../../src/storage/database/database.js';
import { migrate } from '../../src/storage/database/migrate.js';
import { openTestPglite } from '../support/pglite-template.js';
import { credentialsAccountWorld } from '../account/support/credentials-account-app.js';
import { CITIZEN } from '../credentials/support/credentials-backends.js';
import { BROWSER_STEP_TIMEOUT_MS, launchChromium } from '../support/chromium.js';
import { wcagViolations } from '../support/wcag-violations.js';
import { cspViolation } from '../support/csp-violation.js';
import { startTestStack, type TestStack } from '../support/local-stack.js';
import * as client from 'openid-client';
import { loadCredentialsKeys, indexOf } from '../../src/credentials/credentials-keys.js';
import { completeLogin } from '../../src/demo-rp/rp-client.js';
import { ACR } from '../../src/oidc/acr.js';
import { openProviderDatabase } from '../../src/registry-wiring.js';
import { DEMO_PIN } from '../../src/simulator/demo-environment.js';

// Passkeys on "I tuoi accessi" in Chromium with the CDP virtual authenticator (user verification
// on): the enrolment runs assets/sign-in/webauthn.js under the page's CSP, the list, the withdrawal,
// and axe on the new pages. The page's sign-in is a test card that verifies the citizen at once
// (the card's own flow is test/browser/account.browser.test.ts).


let browser: Browser;
let db: Database;
let server: Server;
let origin: string;
let world: ReturnType<typeof credentialsAccountWorld>;

beforeAll(async () => {
  const port = await freePort();
  // WebAuthn needs a host name as RP id (never an IP address): localhost is a secure context over http.
  origin = `http://localhost:${port}`;
  [browser, db] = await Promise.all([launchChromium(), openTestPglite()]);
  await migrate(db, credentialsMigrations);
  world = credentialsAccountWorld(db, { origin, cardCitizen: CITIZEN });
  server = createServer(world.app.callback());
  await listen(server, port, '127.0.0.1');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (server) await closeNow(server);
  world?.close();
  await db?.close();
});

/** A platform authenticator that verifies the user (PIN/biometrics) without asking. */
async function virtualAuthenticator(context: BrowserContext, page: Page): Promise<CDPSession> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
  Object.assign(cdp, { authenticatorId });
  return cdp;
}

test('a citizen signed in with the card enrols a passkey (user verified), sees it listed with its dates, and withdraws it; the pages pass axe and the CSP', async () => {
  const context = await browser.newContext({ locale: 'it-IT' });
  context.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
  const cspViolations: string[] = [];
  try {
    const page = await context.newPage();
    page.on('console', (message) => {
      const violation = cspViolation(page.url(), message.text());
      if (violation) cspViolations.push(violation);
    });
    const cdp = await virtualAuthenticator(context, page);
    const authenticatorId = (cdp as unknown as { authenticatorId: string }).authenticatorId;

    await page.goto(`${origin}/account`);
    await page.click('form[action="/account/cie"] button');
    await page.waitForURL(`${origin}/account`);
    await expect(page.locator('#passkeys #no-passkeys').count()).resolves.toBe(1);
    expect(await wcagViolations(page)).toEqual([]);

    await page.click('#add-passkey');
    await page.waitForSelector('form[data-webauthn="create"]');
    expect(await wcagViolations(page)).toEqual([]);
    await page.fill('#passkey-label', 'Telefono di Mario');
    await page.click('#create-passkey');
    await page.waitForURL(`${origin}/account?done=passkey-added`);
    await expect(page.locator('#notice').getAttribute('data-code')).resolves.toBe('passkey-added');
    const listed = page.locator('#passkey-list li.passkey');
    await expect(listed.count()).resolves.toBe(1);
    await expect(listed.locator('.passkey-label').textContent()).resolves.toBe('Telefono di Mario');
    await expect(listed.textContent()).resolves.toContain('mai usata');

    // The authenticator holds one discoverable credential for this RP id, and it is the one stored.
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]!.isResidentCredential).toBe(true);
    expect(credentials[0]!.rpId).toBe('localhost');
    const credentialId = Buffer.from(credentials[0]!.credentialId, 'base64').toString('base64url');
    await expect(listed.getAttribute('data-credential-id')).resolves.toBe(credentialId);
    const stored = await world.store.passkey(credentialId);
    expect(stored?.citizenIndex).toBe(world.store.citizenIndex(CITIZEN.fiscalCode));
    expect(Buffer.from(credentials[0]!.userHandle!, 'base64').toString('base64url')).toBe(stored!.citizenIndex);
    expect(await wcagViolations(page)).toEqual([]);

    await page.click('.withdraw-passkey');
    await page.waitForURL(`${origin}/account?done=passkey-withdrawn`);
    await expect(page.locator('#no-passkeys').count()).resolves.toBe(1);
    expect(await world.store.passkey(credentialId)).toBeUndefined();
    expect(cspViolations).toEqual([]);
  } finally {
    await context.close();
  }
}, 60_000);

test('a ceremony the citizen cancels on the device comes back to the page with its words, nothing stored', async () => {
  const context = await browser.newContext({ locale: 'en-GB' });
  context.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    // An authenticator whose user never verifies: the browser refuses the ceremony (UV is required).
    await cdp.send('WebAuthn.addVirtualAuthenticator', { options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: false, automaticPresenceSimulation: true } });
    await page.goto(`${origin}/account?lang=en`);
    await page.click('form[action="/account/cie"] button');
    await page.waitForURL(`${origin}/account`);
    await page.click('#add-passkey');
    await page.click('#create-passkey');
    await page.waitForSelector('#notice[data-code="passkey_refused"]');
    await expect(page.locator('#no-passkeys').count()).resolves.toBe(1);
    expect(await wcagViolations(page)).toEqual([]);
  } finally {
    await context.close();
  }
}, 60_000);

test('the demo outbox page and the activation form pass axe', async () => {
  const context = await browser.newContext({ locale: 'it-IT' });
  context.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
  try {
    const page = await context.newPage();
    await page.goto(`${origin}/account`);
    await page.click('form[action="/account/cie"] button');
    await page.waitForURL(`${origin}/account`);
    // Bootstrap Italia draws the radio on its label, which is what the citizen clicks.
    await page.click('label[for=username-email]');
    await page.fill('#email', 'mario.rossi@example.it');
    await page.fill('#activate-password', 'corto');
    await page.fill('#activate-password-again', 'corto');
    await page.click('#activate');
    await page.waitForSelector('#notice[data-code="password_policy"]');
    expect(await wcagViolations(page)).toEqual([]);
    await page.fill('#activate-password', 'Girasole2024x');
    await page.fill('#activate-password-again', 'Girasole2024x');
    await page.click('#activate');
    await page.waitForURL(`${origin}/account?done=code-sent`);
    expect(await wcagViolations(page)).toEqual([]);
    await page.goto(`${origin}/dev/outbox`);
    await expect(page.locator('article.outbox-mail').count()).resolves.toBeGreaterThan(0);
    expect(await wcagViolations(page)).toEqual([]);
  } finally {
    await context.close();
  }
}, 60_000);

// ——— The whole provider: the card's sign-in to the account page, then a level-2 login with the passkey ———

describe('on the provider, with the card and the login page', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  }, 120_000);
  afterAll(async () => {
    // The credentials room opened the provider's embedded database (its directory is locked): closed before the directory goes.
    if (stack) await (await openProviderDatabase(stack.providerConfig)).close();
    await stack?.dispose();
  });

  /** The RP's request for level 2 (signed request object), and the state to finish it with openid-client. */
  async function levelTwoRequest() {
    const codeVerifier = client.randomPKCECodeVerifier();
    const outside = { scope: 'openid profile', code_challenge: await client.calculatePKCECodeChallenge(codeVerifier), code_challenge_method: 'S256', response_type: 'code' };
    const pending = { state: client.randomState(), nonce: client.randomNonce(), codeVerifier };
    const url = await client.buildAuthorizationUrlWithJAR(stack.rp.config, { ...outside, redirect_uri: stack.rp.redirectUri, state: pending.state, nonce: pending.nonce, prompt: 'consent login', acr_values: ACR.L2 }, { key: stack.rp.keys.signing.key, kid: stack.rp.keys.signing.kid });
    for (const [name, value] of Object.entries(outside)) url.searchParams.set(name, value);
    return { url, pending };
  }

  /** The login page for level 2 → "Entra con una passkey" → the ceremony; answers the assertion the browser posted. */
  async function passkeyLogin(page: Page): Promise<{ pending: Awaited<ReturnType<typeof levelTwoRequest>>['pending']; posted: { url: string; body: string } }> {
    const { url, pending } = await levelTwoRequest();
    await page.goto(url.href);
    await page.click('#entra-con-passkey');
    await page.waitForSelector('form[data-webauthn="get"]');
    const posting = page.waitForRequest((request) => request.method() === 'POST' && /\/sign-in\/passkey\//.test(request.url()));
    await page.click('#use-passkey');
    const request = await posting;
    return { pending, posted: { url: request.url(), body: request.postData() ?? '' } };
  }

  test('a passkey enrolled on the account page signs the citizen in at level 2 (acr SpidL2, amr user); a replayed assertion and a passkey naming another citizen are refused', async () => {
    const context = await browser.newContext({ locale: 'it-IT' });
    context.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
    let callback: string | undefined;
    // The RP's callback is caught here; openid-client finishes the login below.
    await context.route(`${stack.rp.redirectUri}**`, async (route) => {
      callback = route.request().url();
      await route.fulfill({ status: 200, contentType: 'text/plain', body: 'ok' });
    });
    try {
      const page = await context.newPage();
      const cdp = await virtualAuthenticator(context, page);
      const authenticatorId = (cdp as unknown as { authenticatorId: string }).authenticatorId;

      // The card's sign-in to "I tuoi accessi" (the bridge's PIN page), then the enrolment.
      await page.goto(`${stack.issuer}/account`);
      await page.click('form[action="/account/cie"] button');
      await page.waitForURL((url) => url.origin === stack.bridge.url && url.pathname === '/login');
      await page.fill('#pin', DEMO_PIN);
      await page.click('#confirm');
      // The first card sign-in also opens the provider's embedded database (the password lockout is cleared): slow on a busy machine.
      await page.waitForURL(`${stack.issuer}/account`, { timeout: 90_000 });
      await page.click('#add-passkey');
      await page.fill('#passkey-label', 'Portatile');
      await page.click('#create-passkey');
      await page.waitForURL(`${stack.issuer}/account?done=passkey-added`);

      // Level 2 through the login page: the passkey alone, consent, tokens.
      const first = await passkeyLogin(page);
      await page.click('#allow');
      await page.waitForURL((url) => url.href.startsWith(stack.rp.redirectUri));
      const { idToken } = await completeLogin(stack.rp.config, new URL(callback ?? page.url()), first.pending);
      expect(idToken.acr).toBe(ACR.L2);
      expect(idToken.amr).toEqual(expect.arrayContaining(['user', 'mfa']));
      await page.goto(`${stack.issuer}/account`);

      // The same assertion posted again: its ceremony is spent, and a new ceremony's challenge is another.
      const replayed = await context.request.post(first.posted.url, { headers: { 'content-type': 'application/x-www-form-urlencoded', origin: stack.issuer }, data: first.posted.body, maxRedirects: 0 });
      expect(replayed.status()).toBeGreaterThanOrEqual(400);
      const { url } = await levelTwoRequest();
      await page.goto(url.href);
      await page.click('#entra-con-passkey');
      await page.waitForSelector('form[data-webauthn="get"]');
      const action = await page.locator('form[data-webauthn="get"]').getAttribute('action');
      const intoNew = await context.request.post(new URL(action!, stack.issuer).href, { headers: { 'content-type': 'application/x-www-form-urlencoded', origin: stack.issuer }, data: first.posted.body });
      expect(intoNew.url()).not.toMatch(/\/consent|\/confirm/);
      expect(await intoNew.text()).toContain('data-code="passkey_refused"');

      // The same key presented with another citizen's user handle: refused, whatever its signature.
      const [enrolled] = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
      const keys = await loadCredentialsKeys(stack.providerConfig.keysDir, false);
      const otherHandle = Buffer.from(indexOf(keys, 'citizen', 'BNCLRA90A41F205X'), 'base64url').toString('base64');
      await cdp.send('WebAuthn.removeCredential', { authenticatorId, credentialId: enrolled!.credentialId });
      await cdp.send('WebAuthn.addCredential', { authenticatorId, credential: { ...enrolled!, userHandle: otherHandle } });
      await passkeyLogin(page);
      await page.waitForSelector('[data-code="passkey_refused"]');
      expect(page.url()).not.toContain(stack.rp.redirectUri);
      expect(await wcagViolations(page)).toEqual([]);
    } finally {
      await context.close();
    }
  }, 240_000);
});
