import { outboxPageAllowed } from '../../src/account/credentials/outbox-page-allowed.js';
import { CITIZEN, OTHER_CITIZEN, useCredentialsBackend } from '../credentials/support/credentials-backends.js';
import { SoftwareAuthenticator } from '../credentials/support/software-authenticator.js';
import { decodeHtml } from '../support/test-browser.js';
import { codeFromOutboxPage, credentialsAccountWorld, PASSKEY_SETTINGS } from './support/credentials-account-app.js';

// "I tuoi accessi", levels 1/2 (docs/account.md): activation with the code read from the demo's
// outbox page, password change, withdrawal, passkeys; CSRF and the card proof refused when missing.

// Opened, migrated and emptied before each test by the shared credentials back end.
const backend = useCredentialsBackend('pglite');
let world: ReturnType<typeof credentialsAccountWorld>;
const EMAIL = 'mario.rossi@example.it';
const PASSWORD = 'Girasole2024x';

beforeEach(() => {
  world = credentialsAccountWorld(backend.db);
});
afterEach(() => world.close());

type Browser = Awaited<ReturnType<typeof world.signedIn>>;


function activate(signed: Browser, fields: Record<string, string> = {}) {
  return signed.browser.post('/account/credentials/activate').type('form').send({ csrf: signed.csrf, username_kind: 'email', email: EMAIL, password: PASSWORD, password_again: PASSWORD, ...fields });
}

async function activated(): Promise<Browser> {
  const signed = await world.signedIn(CITIZEN);
  await activate(signed).expect(303);
  await signed.browser.post('/account/credentials/confirm').type('form').send({ csrf: signed.csrf, code: await codeFromOutboxPage(signed, EMAIL) }).expect(303);
  return signed;
}

test('activation: the rules shown, each broken rule marked, then a password of the policy, the code from the outbox page confirms the contact and the password signs in', async () => {
  const signed = await world.signedIn(CITIZEN);
  const page = await signed.browser.get('/account').expect(200);
  expect(page.text).toContain('id="activate-form"');
  expect(page.text).toContain('data-rule="no_upper_case"');

  const weak = await activate(signed, { password: 'corto1', password_again: 'corto1' }).expect(400);
  expect(weak.text).toContain('data-code="password_policy"');
  for (const rule of ['too_short', 'no_upper_case']) expect(weak.text).toMatch(new RegExp(`<li data-rule="${rule}" class=text-danger>`));
  expect(weak.text).toMatch(/<li data-rule="no_digit">/);
  // What was typed comes back, never the password.
  expect(weak.text).toContain(`value="${EMAIL}"`);
  expect(weak.text).not.toContain('corto1');
  const differ = await activate(signed, { password_again: 'Girasole2024y' }).expect(400);
  expect(differ.text).toContain('data-code="passwords_differ"');
  expect(await world.store.citizen(CITIZEN.fiscalCode)).toBeUndefined();

  const begun = await activate(signed).expect(303);
  expect(begun.headers.location).toBe('/account?done=code-sent');
  const waiting = await signed.browser.get(begun.headers.location!).expect(200);
  expect(waiting.text).toContain('data-state="pending"');
  expect(waiting.text).toContain('id="confirm-form"');
  // The password does not sign in before the contact is confirmed.
  expect((await world.signIn.attempt(EMAIL, PASSWORD)).ok).toBe(false);

  const code = await codeFromOutboxPage(signed, EMAIL);
  expect(code).toMatch(/^\d{6}$/);
  const wrong = await signed.browser.post('/account/credentials/confirm').type('form').send({ csrf: signed.csrf, code: code === '000000' ? '111111' : '000000' }).expect(400);
  expect(wrong.text).toContain('data-code="code_invalid"');
  const confirmed = await signed.browser.post('/account/credentials/confirm').type('form').send({ csrf: signed.csrf, code }).expect(303);
  expect(confirmed.headers.location).toBe('/account?done=activated');
  const active = await signed.browser.get('/account?done=activated').expect(200);
  expect(active.text).toContain('data-state="active"');
  expect(active.text).toContain(`id="credentials-username">${EMAIL}<`);
  expect((await world.signIn.attempt(EMAIL, PASSWORD)).ok).toBe(true);
  expect(world.managed).toEqual(['account-sign-in', 'credentials-activated', 'contact-confirmed']);
}, 30_000);

test('the username may be the fiscal code; a new code replaces the first, which no longer confirms', async () => {
  const signed = await world.signedIn(CITIZEN);
  await activate(signed, { username_kind: 'fiscal_code' }).expect(303);
  const first = await codeFromOutboxPage(signed, EMAIL);
  await signed.browser.post('/account/credentials/resend').type('form').send({ csrf: signed.csrf }).expect(303);
  const second = await codeFromOutboxPage(signed, EMAIL);
  expect(world.outbox.list(EMAIL)).toHaveLength(2);
  if (first !== second) await signed.browser.post('/account/credentials/confirm').type('form').send({ csrf: signed.csrf, code: first }).expect(400);
  await signed.browser.post('/account/credentials/confirm').type('form').send({ csrf: signed.csrf, code: second }).expect(303);
  expect((await world.signIn.attempt(CITIZEN.fiscalCode.toLowerCase(), PASSWORD)).ok).toBe(true);
  const page = await signed.browser.get('/account').expect(200);
  expect(page.text).toContain(`id="credentials-username">${CITIZEN.fiscalCode}<`);
}, 30_000);

test('password change: a new password of the policy for the same username; the old one stops working', async () => {
  const signed = await activated();
  const refused = await signed.browser.post('/account/credentials/password').type('form').send({ csrf: signed.csrf, password: 'password123', password_again: 'password123' }).expect(400);
  expect(refused.text).toMatch(/<li data-rule="well_known" class=text-danger>/);
  const changed = await signed.browser.post('/account/credentials/password').type('form').send({ csrf: signed.csrf, password: 'Tulipano2025z', password_again: 'Tulipano2025z' }).expect(303);
  expect(changed.headers.location).toBe('/account?done=password-changed');
  expect((await world.signIn.attempt(EMAIL, PASSWORD)).ok).toBe(false);
  expect((await world.signIn.attempt(EMAIL, 'Tulipano2025z')).ok).toBe(true);
  expect(world.managed.at(-1)).toBe('password-changed');
}, 30_000);

test('withdrawal removes everything: password, contact and passkeys', async () => {
  const signed = await activated();
  const authenticator = new SoftwareAuthenticator();
  expect((await enrol(signed, authenticator, 'Telefono')).status).toBe(303);
  expect(await world.store.passkeysOf(world.store.citizenIndex(CITIZEN.fiscalCode))).toHaveLength(1);
  const done = await signed.browser.post('/account/credentials/withdraw').type('form').send({ csrf: signed.csrf }).expect(303);
  expect(done.headers.location).toBe('/account?done=credentials-withdrawn');
  expect(await world.store.citizen(CITIZEN.fiscalCode)).toBeUndefined();
  expect(await world.store.passkey(authenticator.id)).toBeUndefined();
  expect((await world.signIn.attempt(EMAIL, PASSWORD)).ok).toBe(false);
  const page = await signed.browser.get(done.headers.location!).expect(200);
  expect(page.text).toContain('data-state="none"');
  expect(world.managed.at(-1)).toBe('credentials-withdrawn');
}, 30_000);

/** "Aggiungi una passkey": the ceremony's page, the authenticator's answer posted as webauthn.js would. */
async function enrol(signed: Browser, authenticator: SoftwareAuthenticator, label: string) {
  const page = await signed.browser.post('/account/passkeys/new').type('form').send({ csrf: signed.csrf }).expect(200);
  expect(page.text).toContain('data-webauthn="create"');
  expect(page.text).toContain('src="/assets/sign-in/webauthn.js"');
  const options = JSON.parse(decodeHtml(/data-webauthn-options="([^"]+)"/.exec(page.text)![1]!));
  expect(options.authenticatorSelection).toMatchObject({ userVerification: 'required', residentKey: 'required' });
  const ceremonyId = /name="ceremony_id" value="([^"]+)"/.exec(page.text)![1]!;
  const response = authenticator.create(options, PASSKEY_SETTINGS);
  return signed.browser.post('/account/passkeys').type('form').send({ csrf: signed.csrf, ceremony_id: ceremonyId, response: JSON.stringify(response), label });
}

test('passkeys: enrolled after the card sign-in without a password, listed with their dates, withdrawn; another citizen cannot withdraw them', async () => {
  const signed = await world.signedIn(CITIZEN);
  const authenticator = new SoftwareAuthenticator();
  const added = await enrol(signed, authenticator, 'Telefono');
  expect(added.status).toBe(303);
  expect(added.headers.location).toBe('/account?done=passkey-added');
  const page = await signed.browser.get('/account').expect(200);
  expect(page.text).toContain(`data-credential-id="${authenticator.id}"`);
  expect(page.text).toContain('Telefono');
  expect(page.text).toContain('mai usata');

  const other = await world.signedIn(OTHER_CITIZEN);
  const foreign = await other.browser.post('/account/passkeys/withdraw').type('form').send({ csrf: other.csrf, credential_id: authenticator.id }).expect(404);
  expect(foreign.text).toContain('data-code="passkey_unknown"');
  expect(await world.store.passkey(authenticator.id)).toBeDefined();

  await signed.browser.post('/account/passkeys/withdraw').type('form').send({ csrf: signed.csrf, credential_id: authenticator.id }).expect(303);
  expect(await world.store.passkey(authenticator.id)).toBeUndefined();
  expect(world.managed).toEqual(['account-sign-in', 'passkey-enrolled', 'account-sign-in', 'passkey-withdrawn']);
}, 30_000);

test('a cancelled ceremony (empty answer) and a replayed ceremony are refused with the page’s words', async () => {
  const signed = await world.signedIn(CITIZEN);
  const cancelled = await signed.browser.post('/account/passkeys').type('form').send({ csrf: signed.csrf, ceremony_id: 'x', response: '' }).expect(400);
  expect(cancelled.text).toContain('data-code="passkey_refused"');
  const page = await signed.browser.post('/account/passkeys/new').type('form').send({ csrf: signed.csrf }).expect(200);
  const options = JSON.parse(decodeHtml(/data-webauthn-options="([^"]+)"/.exec(page.text)![1]!));
  const ceremonyId = /name="ceremony_id" value="([^"]+)"/.exec(page.text)![1]!;
  const response = JSON.stringify(new SoftwareAuthenticator().create(options, PASSKEY_SETTINGS));
  await signed.browser.post('/account/passkeys').type('form').send({ csrf: signed.csrf, ceremony_id: ceremonyId, response }).expect(303);
  const again = await signed.browser.post('/account/passkeys').type('form').send({ csrf: signed.csrf, ceremony_id: ceremonyId, response }).expect(400);
  expect(again.text).toContain('data-code="passkey_ceremony_expired"');
}, 30_000);

test('a change without the session’s CSRF token is refused (403) and changes nothing', async () => {
  const signed = await world.signedIn(CITIZEN);
  for (const csrf of [undefined, 'forged']) {
    const refused = await signed.browser.post('/account/credentials/activate').type('form').send({ ...(csrf ? { csrf } : {}), username_kind: 'email', email: EMAIL, password: PASSWORD, password_again: PASSWORD }).expect(403);
    expect(refused.text).toContain('data-code="csrf_invalid"');
    await signed.browser.post('/account/passkeys/new').type('form').send({ ...(csrf ? { csrf } : {}) }).expect(403);
  }
  expect(await world.store.citizen(CITIZEN.fiscalCode)).toBeUndefined();
  expect(world.outbox.list()).toEqual([]);
  const active = await activated();
  await active.browser.post('/account/credentials/withdraw').type('form').send({ csrf: 'forged' }).expect(403);
  await active.browser.post('/account/credentials/password').type('form').send({ password: 'Tulipano2025z', password_again: 'Tulipano2025z' }).expect(403);
  expect((await world.signIn.attempt(EMAIL, PASSWORD)).ok).toBe(true);
}, 30_000);

test('a session opened without the card (level 2) shows no forms and every change is refused: card_sign_in_required', async () => {
  const weak = await world.signedIn(CITIZEN, 'weak');
  const page = await weak.browser.get('/account').expect(200);
  expect(page.text).not.toContain('id="activate-form"');
  expect(page.text).not.toContain('id="add-passkey"');
  for (const path of ['/account/credentials/activate', '/account/credentials/password', '/account/credentials/withdraw', '/account/passkeys/new', '/account/passkeys']) {
    const refused = await weak.browser.post(path).type('form').send({ csrf: weak.csrf, username_kind: 'email', email: EMAIL, password: PASSWORD, password_again: PASSWORD }).expect(403);
    expect(refused.text).toContain('data-code="card_sign_in_required"');
  }
  expect(await world.store.citizen(CITIZEN.fiscalCode)).toBeUndefined();
  expect(world.outbox.list()).toEqual([]);
}, 30_000);

test('the outbox page exists only when the composition allows it, which it does only on a plain-http loopback origin', async () => {
  const signed = await world.signedIn(CITIZEN);
  await signed.browser.get('/dev/outbox').expect(200);
  world.close();
  world = credentialsAccountWorld(backend.db, { outboxPage: false });
  const closed = await world.signedIn(CITIZEN);
  await closed.browser.get('/dev/outbox').expect(404);
  expect(outboxPageAllowed('http://localhost:3000')).toBe(true);
  expect(outboxPageAllowed('http://127.0.0.1:8080')).toBe(true);
  expect(outboxPageAllowed('https://id.example.it')).toBe(false);
  expect(outboxPageAllowed('http://id.example.it')).toBe(false);
  expect(outboxPageAllowed('https://localhost')).toBe(false);
});

test('English on request', async () => {
  const signed = await world.signedIn(CITIZEN);
  const page = await signed.browser.get('/account?lang=en').expect(200);
  expect(page.text).toContain('CieID credentials (levels 1 and 2)');
  expect(page.text).toContain('contain an upper-case letter');
});
