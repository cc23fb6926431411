import { createServer, type Server } from 'node:http';
import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { credentialsMigrations } from '../../src/credentials/credentials-migrations.js';
import { freePort } from '../../src/shared/free-port.js';
import { closeNow, listen } from '../../src/shared/http-server.js';
import type { Database } from '../../src/storage/database/database.js';
import { migrate } from '../../src/storage/database/migrate.js';
import { openPglite } from '../../src/storage/database/pglite-database.js';
import { credentialsAccountWorld } from '../account/support/credentials-account-app.js';
import { CITIZEN } from '../credentials/support/credentials-backends.js';
import { launchChromium } from '../support/chromium.js';

// Passkeys on "I tuoi accessi" in Chromium with the CDP virtual authenticator (user verification
// on): the enrolment runs assets/sign-in/webauthn.js under the page's CSP, the list, the withdrawal,
// and axe on the new pages. The page's sign-in is a test card that verifies the citizen at once
// (the card's own flow is test/browser/account.browser.test.ts).

const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

let browser: Browser;
let db: Database;
let server: Server;
let origin: string;
let world: ReturnType<typeof credentialsAccountWorld>;

beforeAll(async () => {
  const port = await freePort();
  // WebAuthn needs a host name as RP id (never an IP address): localhost is a secure context over http.
  origin = `http://localhost:${port}`;
  [browser, db] = await Promise.all([launchChromium(), openPglite()]);
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

async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
  return results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

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
  context.setDefaultTimeout(10_000);
  const cspViolations: string[] = [];
  try {
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
    const cdp = await virtualAuthenticator(context, page);
    const authenticatorId = (cdp as unknown as { authenticatorId: string }).authenticatorId;

    await page.goto(`${origin}/account`);
    await page.click('form[action="/account/cie"] button');
    await page.waitForURL(`${origin}/account`);
    await expect(page.locator('#passkeys #no-passkeys').count()).resolves.toBe(1);
    expect(await axeViolations(page)).toEqual([]);

    await page.click('#add-passkey');
    await page.waitForSelector('form[data-webauthn="create"]');
    expect(await axeViolations(page)).toEqual([]);
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
    expect(await axeViolations(page)).toEqual([]);

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
  context.setDefaultTimeout(10_000);
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
    expect(await axeViolations(page)).toEqual([]);
  } finally {
    await context.close();
  }
}, 60_000);

test('the demo outbox page and the activation form pass axe', async () => {
  const context = await browser.newContext({ locale: 'it-IT' });
  context.setDefaultTimeout(10_000);
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
    expect(await axeViolations(page)).toEqual([]);
    await page.fill('#activate-password', 'Girasole2024x');
    await page.fill('#activate-password-again', 'Girasole2024x');
    await page.click('#activate');
    await page.waitForURL(`${origin}/account?done=code-sent`);
    expect(await axeViolations(page)).toEqual([]);
    await page.goto(`${origin}/dev/outbox`);
    await expect(page.locator('article.outbox-mail').count()).resolves.toBeGreaterThan(0);
    expect(await axeViolations(page)).toEqual([]);
  } finally {
    await context.close();
  }
}, 60_000);
