import { createServer, type Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
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

// The changes of active credentials on "I tuoi accessi" in Chromium: the forms of the active page, a
// refused change (its notice and its field) and the confirmation form pass axe; the contact, a
// passkey's name and the username change through the page's own forms. The sign-in is a test card
// that verifies the citizen at once (the card's own flow is test/browser/account.browser.test.ts).

const EMAIL = 'mario.rossi@example.it';
const NEW_EMAIL = 'mario.nuovo@example.org';
const PASSWORD = 'Girasole2024x';
const PASSKEY_ID = 'dGVzdC1wYXNza2V5LWlk';

let browser: Browser;
let db: Database;
let server: Server;
let origin: string;
let world: ReturnType<typeof credentialsAccountWorld>;

beforeAll(async () => {
  const port = await freePort();
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

function newestCode(to: string): string {
  return /\b(\d{6})\b/.exec(world.outbox.list(to)[0]?.text ?? '')?.[1] ?? '';
}

test('the change forms and a refused change pass axe; the contact, a passkey’s name and the username change through the forms', async () => {
  const context = await browser.newContext({ locale: 'it-IT' });
  context.setDefaultTimeout(BROWSER_STEP_TIMEOUT_MS);
  try {
    const page = await context.newPage();
    await page.goto(`${origin}/account`);
    await page.click('form[action="/account/cie"] button');
    await page.waitForURL(`${origin}/account`);

    await page.click('label[for="username-email"]');
    await page.fill('#email', EMAIL);
    await page.fill('#activate-password', PASSWORD);
    await page.fill('#activate-password-again', PASSWORD);
    await page.click('#activate');
    await page.waitForURL(`${origin}/account?done=code-sent`);
    await page.fill('#code', newestCode(EMAIL));
    await page.click('#confirm-code');
    await page.waitForURL(`${origin}/account?done=activated`);
    // A passkey to rename, stored directly (its ceremony is test/browser/passkeys.browser.test.ts's).
    await world.store.addPasskey({ credentialId: PASSKEY_ID, citizenIndex: world.store.citizenIndex(CITIZEN.fiscalCode), publicKey: new Uint8Array([1, 2, 3]), counter: 0, transports: [], deviceType: 'singleDevice', backedUp: false, label: 'Telefono' });
    await page.goto(`${origin}/account`);
    await expect(page.locator('#contact-form').count()).resolves.toBe(1);
    await expect(page.locator('#username-form').count()).resolves.toBe(1);
    expect(await wcagViolations(page)).toEqual([]);

    await page.fill('#new-email', 'non-valido');
    await page.click('#change-contact');
    await page.waitForSelector('#notice[data-code="invalid_email"]');
    await expect(page.locator('#new-email').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.locator('#new-email').inputValue()).resolves.toBe('non-valido');
    expect(await wcagViolations(page)).toEqual([]);

    await page.fill('#new-email', NEW_EMAIL);
    await page.click('#change-contact');
    await page.waitForURL(`${origin}/account?done=contact-code-sent`);
    await expect(page.locator('#credentials-email').textContent()).resolves.toContain(EMAIL);
    expect(await wcagViolations(page)).toEqual([]);
    await page.fill('#contact-code', newestCode(NEW_EMAIL));
    await page.click('#confirm-contact');
    await page.waitForURL(`${origin}/account?done=contact-changed`);
    await expect(page.locator('#credentials-email').textContent()).resolves.toContain(NEW_EMAIL);
    await expect(page.locator('#credentials-username').textContent()).resolves.toBe(NEW_EMAIL);

    await page.fill(`[id="rename-${PASSKEY_ID}"]`, '<b>Tablet</b>');
    await page.click(`li[data-credential-id="${PASSKEY_ID}"] .rename-passkey-submit`);
    await page.waitForURL(`${origin}/account?done=passkey-renamed`);
    await expect(page.locator('#passkey-list .passkey-label').textContent()).resolves.toBe('<b>Tablet</b>');
    await expect(page.locator('#passkey-list b').count()).resolves.toBe(0);

    await page.click('label[for="change-username-fiscal-code"]');
    await page.click('#change-username');
    await page.waitForURL(`${origin}/account?done=username-changed`);
    await expect(page.locator('#credentials-username').textContent()).resolves.toBe(CITIZEN.fiscalCode);
    expect(world.outbox.list(EMAIL)[0]!.subject).toBe('Entra con CIE: il tuo indirizzo è stato cambiato');
  } finally {
    await context.close();
  }
}, 90_000);
