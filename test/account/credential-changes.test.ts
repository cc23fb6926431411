import { jest } from '@jest/globals';
import { CredentialsError } from '../../src/credentials/credentials-error.js';
import type { EmailCodes } from '../../src/credentials/email-codes.js';
import type { CredentialStore } from '../../src/credentials/credential-store.js';
import { UsernameChange } from '../../src/credentials/username-change.js';
import { ACR } from '../../src/oidc/acr.js';
import { CITIZEN, OTHER_CITIZEN, useCredentialsBackend } from '../credentials/support/credentials-backends.js';
import { SoftwareAuthenticator } from '../credentials/support/software-authenticator.js';
import { decodeHtml } from '../support/test-browser.js';
import { codeFromOutboxPage, credentialsAccountWorld, PASSKEY_SETTINGS } from './support/credentials-account-app.js';

// Changes of active credentials on "I tuoi accessi" (docs/account.md): the contact address confirmed by
// a code mailed to the new one, the username, a passkey's name — each behind a fresh card sign-in and
// the CSRF token, through the real routes, the credentials room and PGlite.

// Opened, migrated and emptied before each test by the shared credentials back end.
const backend = useCredentialsBackend('pglite');
let world: ReturnType<typeof credentialsAccountWorld>;
const EMAIL = 'mario.rossi@example.it';
const NEW_EMAIL = 'mario.nuovo@example.org';
const PASSWORD = 'Girasole2024x';

beforeEach(() => {
  world = credentialsAccountWorld(backend.db);
});
afterEach(() => world.close());

type Browser = Awaited<ReturnType<typeof world.signedIn>>;


/** A citizen signed in with the card, credentials active (username and contact as given). */
async function activated(citizen = CITIZEN, email = EMAIL, usernameKind: 'email' | 'fiscal_code' = 'email'): Promise<Browser> {
  const signed = await world.signedIn(citizen);
  await signed.browser.post('/account/credentials/activate').type('form').send({ csrf: signed.csrf, username_kind: usernameKind, email, password: PASSWORD, password_again: PASSWORD }).expect(303);
  await signed.browser.post('/account/credentials/confirm').type('form').send({ csrf: signed.csrf, code: await codeFromOutboxPage(signed, email) }).expect(303);
  return signed;
}

function post(signed: Browser, path: string, fields: Record<string, string>) {
  return signed.browser.post(path).type('form').send({ csrf: signed.csrf, ...fields });
}

const requestContact = (signed: Browser, email: string) => post(signed, '/account/credentials/contact', { email });
const confirmContact = (signed: Browser, code: string) => post(signed, '/account/credentials/contact/confirm', { code });
const changeUsername = (signed: Browser, kind: string) => post(signed, '/account/credentials/username', { username_kind: kind });

function wrongCode(code: string): string {
  return code === '000000' ? '111111' : '000000';
}

describe('the contact address', () => {
  test('a new address is confirmed by the code mailed to it; until then the old one stays the contact; then the username moves, old second-factor codes die and the old address is warned', async () => {
    const signed = await activated();
    const page = await signed.browser.get('/account').expect(200);
    expect(page.text).toContain('id="contact-form"');
    expect(page.text).toContain('Il tuo nome utente è l’indirizzo e-mail: cambierà con esso.');

    const requested = await requestContact(signed, ` ${NEW_EMAIL.toUpperCase()} `).expect(303);
    expect(requested.headers.location).toBe('/account?done=contact-code-sent');
    const waiting = await signed.browser.get(requested.headers.location!).expect(200);
    expect(waiting.text).toContain('id="contact-confirm-form"');
    expect(waiting.text).toContain(`a ${NEW_EMAIL}.`);
    // Until the code comes back the old address stays the contact, confirmed, and the username signs in.
    expect(waiting.text).toContain(`id="credentials-email">${EMAIL} (confermata)<`);
    expect(await world.store.citizen(CITIZEN.fiscalCode)).toMatchObject({ email: EMAIL, emailConfirmed: true });
    expect((await world.signIn.attempt(EMAIL, PASSWORD)).ok).toBe(true);
    // A second-factor code mailed meanwhile goes to the old address.
    const citizen = (await world.store.citizen(CITIZEN.fiscalCode))!;
    const secondFactorId = await world.credentials.codes.send(citizen, 'second_factor', 'it');
    const secondFactorCode = /\b(\d{6})\b/.exec(world.outbox.list(EMAIL)[0]!.text)![1]!;

    const code = await codeFromOutboxPage(signed, NEW_EMAIL);
    expect(code).toMatch(/^\d{6}$/);
    const wrong = await confirmContact(signed, wrongCode(code)).expect(400);
    expect(wrong.text).toContain('data-code="code_invalid"');
    expect(wrong.text).toMatch(/id="contact-code"[^>]*aria-invalid=true/);
    expect((await world.store.citizen(CITIZEN.fiscalCode))!.email).toBe(EMAIL);

    const confirmed = await confirmContact(signed, code).expect(303);
    expect(confirmed.headers.location).toBe('/account?done=contact-changed');
    const after = await signed.browser.get(confirmed.headers.location!).expect(200);
    expect(after.text).toContain(`id="credentials-email">${NEW_EMAIL} (confermata)<`);
    expect(after.text).toContain(`id="credentials-username">${NEW_EMAIL}<`);
    expect(after.text).not.toContain('id="contact-confirm-form"');
    expect(await world.store.citizen(CITIZEN.fiscalCode)).toMatchObject({ email: NEW_EMAIL, emailConfirmed: true });
    expect((await world.signIn.attempt(NEW_EMAIL, PASSWORD)).ok).toBe(true);
    expect((await world.signIn.attempt(EMAIL, PASSWORD)).ok).toBe(false);
    // The code mailed to the old address for the second factor no longer counts.
    await expect((world.credentials.codes as EmailCodes).check(citizen.citizenIndex, secondFactorId, secondFactorCode, 'second_factor')).rejects.toMatchObject({ code: 'code_invalid' });
    // The old address is told, with the new one masked, and no link.
    const notice = world.outbox.list(EMAIL)[0]!;
    expect(notice.subject).toBe('Entra con CIE: il tuo indirizzo è stato cambiato');
    expect(notice.text).toContain('m***@example.org');
    expect(notice.text).not.toContain(NEW_EMAIL);
    expect(notice.text).not.toMatch(/https?:/);
    expect(world.managed.at(-1)).toBe('contact-changed');
  }, 30_000);

  test('a bad address, the same address, a wrong and an expired code are refused with the page’s words; nothing changes', async () => {
    const signed = await activated();
    const bad = await requestContact(signed, 'mario<script>@example').expect(400);
    expect(bad.text).toContain('data-code="invalid_email"');
    // What was typed comes back escaped, in the field marked invalid, which points at the notice.
    expect(bad.text).toContain('value="mario&lt;script&gt;@example"');
    expect(bad.text).toMatch(/id="new-email"[^>]*aria-describedby="contact-lead notice"[^>]*aria-invalid=true/);
    const same = await requestContact(signed, EMAIL.toUpperCase()).expect(400);
    expect(same.text).toContain('data-code="contact_unchanged"');
    expect(world.outbox.list()).toHaveLength(1);

    await requestContact(signed, NEW_EMAIL).expect(303);
    await backend.db.query("UPDATE credential_email_codes SET expires_at = now() - interval '1 minute' WHERE purpose = 'confirm_contact'");
    const expired = await confirmContact(signed, await codeFromOutboxPage(signed, NEW_EMAIL)).expect(400);
    expect(expired.text).toContain('data-code="code_expired"');
    const none = await confirmContact(signed, '123456').expect(400);
    expect(none.text).toContain('data-code="code_invalid"');
    expect(await world.store.citizen(CITIZEN.fiscalCode)).toMatchObject({ email: EMAIL, emailConfirmed: true });
    expect((await world.signIn.attempt(EMAIL, PASSWORD)).ok).toBe(true);
    expect(world.managed).not.toContain('contact-changed');
  }, 30_000);

  test('an address longer than 254 characters is refused, not cut to a shorter address that would get the code (contact change and activation)', async () => {
    // Its first 254 characters are an address of their own (m@aaa…a.itzzzzzzzzz).
    const long = `m@${'a'.repeat(240)}.it${'z'.repeat(20)}`;
    const signed = await activated();
    const refused = await requestContact(signed, long).expect(400);
    expect(refused.text).toContain('data-code="invalid_email"');
    const other = await world.signedIn(OTHER_CITIZEN);
    const activation = await post(other, '/account/credentials/activate', { username_kind: 'fiscal_code', email: long, password: PASSWORD, password_again: PASSWORD }).expect(400);
    expect(activation.text).toContain('data-code="invalid_email"');
    expect(world.outbox.list().map((mail) => mail.to)).toEqual([EMAIL]);
    expect(await world.store.pendingEmail(world.store.citizenIndex(CITIZEN.fiscalCode))).toBeUndefined();
  }, 30_000);

  test('a typo is fixed by asking again: the first address’s code no longer confirms, and the second one does', async () => {
    const signed = await activated();
    await requestContact(signed, 'mario.nuvo@example.org').expect(303);
    const typoCode = await codeFromOutboxPage(signed, 'mario.nuvo@example.org');
    await requestContact(signed, NEW_EMAIL).expect(303);
    const code = await codeFromOutboxPage(signed, NEW_EMAIL);
    if (typoCode !== code) await confirmContact(signed, typoCode).expect(400);
    await confirmContact(signed, code).expect(303);
    expect((await world.store.citizen(CITIZEN.fiscalCode))!.email).toBe(NEW_EMAIL);
  }, 30_000);

  test('the per-citizen mail limit counts the activation’s mail and every code to a new address', async () => {
    const signed = await activated();
    for (let i = 0; i < 4; i++) await requestContact(signed, `nuovo${i}@example.org`).expect(303);
    const refused = await requestContact(signed, 'nuovo9@example.org').expect(429);
    expect(refused.text).toContain('data-code="too_many_mails"');
    expect(world.outbox.list('nuovo9@example.org')).toEqual([]);
  }, 30_000);

  test('an e-mail username moves with the contact: an address that is another citizen’s username is refused before any mail', async () => {
    await activated(OTHER_CITIZEN, NEW_EMAIL);
    const signed = await activated();
    const refused = await requestContact(signed, NEW_EMAIL).expect(409);
    expect(refused.text).toContain('data-code="contact_username_taken"');
    expect(refused.text).toContain('Scegli prima il codice fiscale come nome utente');
    expect(world.outbox.list(NEW_EMAIL)).toHaveLength(1);
    // With the fiscal code as username the same address may be the contact (addresses are not unique; usernames are).
    await changeUsername(signed, 'fiscal_code').expect(303);
    await requestContact(signed, NEW_EMAIL).expect(303);
    await confirmContact(signed, await codeFromOutboxPage(signed, NEW_EMAIL)).expect(303);
    expect((await world.store.citizen(CITIZEN.fiscalCode))!.email).toBe(NEW_EMAIL);
    expect((await world.signIn.attempt(CITIZEN.fiscalCode, PASSWORD)).ok).toBe(true);
    // The address still signs in the citizen whose username it is (same password in this test), not this one.
    expect(await world.signIn.attempt(NEW_EMAIL, PASSWORD)).toMatchObject({ ok: true, citizen: { identity: { fiscalCode: OTHER_CITIZEN.fiscalCode } } });
  }, 30_000);

  test('the database keeps usernames unique when the address is taken between the request and the code', async () => {
    const signed = await activated();
    await requestContact(signed, NEW_EMAIL).expect(303);
    const code = await codeFromOutboxPage(signed, NEW_EMAIL);
    await activated(OTHER_CITIZEN, NEW_EMAIL);
    const refused = await confirmContact(signed, code).expect(409);
    expect(refused.text).toContain('data-code="contact_username_taken"');
    expect(await world.store.citizen(CITIZEN.fiscalCode)).toMatchObject({ email: EMAIL, emailConfirmed: true });
    expect((await world.signIn.attempt(EMAIL, PASSWORD)).ok).toBe(true);
  }, 30_000);

  test('in English: the form, a refusal and the old address’s notice', async () => {
    const signed = await activated();
    const page = await signed.browser.get('/account?lang=en').expect(200);
    expect(page.text).toContain('Change your e-mail address');
    const bad = await signed.browser.post('/account/credentials/contact').set('accept-language', 'en').type('form').send({ csrf: signed.csrf, email: 'nope' }).expect(400);
    expect(bad.text).toContain('The e-mail address is not valid.');
    await signed.browser.post('/account/credentials/contact').set('accept-language', 'en').type('form').send({ csrf: signed.csrf, email: NEW_EMAIL }).expect(303);
    await signed.browser.post('/account/credentials/contact/confirm').set('accept-language', 'en').type('form').send({ csrf: signed.csrf, code: await codeFromOutboxPage(signed, NEW_EMAIL) }).expect(303);
    expect(world.outbox.list(EMAIL)[0]!.subject).toBe('Entra con CIE: your e-mail address has been changed');
  }, 30_000);
});

describe('the username', () => {
  test('fiscal code ↔ e-mail address: the password stays, the old username stops signing in; the same username again is refused', async () => {
    const signed = await activated();
    const page = await signed.browser.get('/account').expect(200);
    expect(page.text).toMatch(/id="change-username-email" checked/);
    const same = await changeUsername(signed, 'email').expect(400);
    expect(same.text).toContain('data-code="username_unchanged"');

    const changed = await changeUsername(signed, 'fiscal_code').expect(303);
    expect(changed.headers.location).toBe('/account?done=username-changed');
    const after = await signed.browser.get(changed.headers.location!).expect(200);
    expect(after.text).toContain(`id="credentials-username">${CITIZEN.fiscalCode}<`);
    expect((await world.signIn.attempt(CITIZEN.fiscalCode.toLowerCase(), PASSWORD)).ok).toBe(true);
    expect((await world.signIn.attempt(EMAIL, PASSWORD)).ok).toBe(false);

    await changeUsername(signed, 'email').expect(303);
    expect((await world.signIn.attempt(EMAIL, PASSWORD)).ok).toBe(true);
    expect((await world.signIn.attempt(CITIZEN.fiscalCode, PASSWORD)).ok).toBe(false);
    expect(world.managed.slice(-2)).toEqual(['username-changed', 'username-changed']);
  }, 30_000);

  test('an address that is another citizen’s username is refused with a clear message (409) and nothing changes', async () => {
    const SHARED = 'famiglia.rossi@example.it';
    await activated(OTHER_CITIZEN, SHARED, 'email');
    const signed = await activated(CITIZEN, SHARED, 'fiscal_code');
    const refused = await changeUsername(signed, 'email').expect(409);
    expect(refused.text).toContain('data-code="username_email_taken"');
    expect(refused.text).toContain('è già il nome utente di un’altra persona');
    expect((await world.signIn.attempt(CITIZEN.fiscalCode, PASSWORD)).ok).toBe(true);
    expect(await world.signIn.attempt(SHARED, PASSWORD)).toMatchObject({ ok: true, citizen: { identity: { fiscalCode: OTHER_CITIZEN.fiscalCode } } });
  }, 30_000);

  test('failure counts are not carried over: a new username locked in advance by a guesser, or the old one’s count, do not lock the citizen out', async () => {
    const signed = await activated();
    // A guesser hammers the fiscal code (nobody's username yet, counted all the same) and the e-mail.
    for (const username of [CITIZEN.fiscalCode, EMAIL]) {
      let outcome = await world.signIn.attempt(username, 'Sbagliata2024x');
      for (let i = 0; i < 12 && outcome.ok === false && outcome.code !== 'account_throttled'; i++) outcome = await world.signIn.attempt(username, 'Sbagliata2024x');
      expect(outcome).toMatchObject({ ok: false, code: 'account_throttled' });
    }
    await changeUsername(signed, 'fiscal_code').expect(303);
    expect((await world.signIn.attempt(CITIZEN.fiscalCode, PASSWORD)).ok).toBe(true);
    // The old username is nobody's now, and keeps its own count like any other.
    expect(await world.signIn.attempt(EMAIL, PASSWORD)).toMatchObject({ ok: false, code: 'account_throttled' });
  }, 60_000);

  test('a change to the e-mail username that read the old address loses to a contact change confirmed meanwhile: the username never becomes an address that is no longer the contact', async () => {
    await activated(CITIZEN, EMAIL, 'fiscal_code');
    const citizenIndex = world.store.citizenIndex(CITIZEN.fiscalCode);
    // The other tab's contact change is confirmed right after this change read the citizen (old address).
    const racing = new Proxy(world.store, {
      get(target, name) {
        const value = Reflect.get(target, name) as unknown;
        if (name !== 'citizen') return typeof value === 'function' ? value.bind(target) : value;
        return async (fiscalCode: string) => {
          const read = await target.citizen(fiscalCode);
          await target.setPendingEmail(citizenIndex, { email: NEW_EMAIL, codeId: 'raced-code' });
          await target.confirmPendingEmail(citizenIndex, 'raced-code');
          return read;
        };
      },
    }) as CredentialStore;
    await expect(new UsernameChange(racing).change({ fiscalCode: CITIZEN.fiscalCode, acr: ACR.L3 }, 'email')).rejects.toMatchObject({ code: 'username_contact_moved' });
    expect((await world.signIn.attempt(EMAIL, PASSWORD)).ok).toBe(false);
    expect((await world.signIn.attempt(CITIZEN.fiscalCode, PASSWORD)).ok).toBe(true);
    // Asked again, it goes with the address that is the contact now.
    expect(await world.store.setUsername(citizenIndex, { kind: 'email', value: NEW_EMAIL })).toBe(true);
    expect((await world.signIn.attempt(NEW_EMAIL, PASSWORD)).ok).toBe(true);
  }, 30_000);

  test('another browser’s session of the citizen is unaffected and shows the new username', async () => {
    const signed = await activated();
    const other = await world.signedIn(CITIZEN);
    await changeUsername(signed, 'fiscal_code').expect(303);
    const page = await other.browser.get('/account').expect(200);
    expect(page.text).toContain(`id="credentials-username">${CITIZEN.fiscalCode}<`);
    await changeUsername(other, 'email').expect(303);
  }, 30_000);
});

/** "Aggiungi una passkey", answered by a software authenticator as webauthn.js would post it. */
async function enrol(signed: Browser, authenticator: SoftwareAuthenticator, label: string) {
  const page = await post(signed, '/account/passkeys/new', {}).expect(200);
  const options = JSON.parse(decodeHtml(/data-webauthn-options="([^"]+)"/.exec(page.text)![1]!));
  const ceremonyId = /name="ceremony_id" value="([^"]+)"/.exec(page.text)![1]!;
  await post(signed, '/account/passkeys', { ceremony_id: ceremonyId, response: JSON.stringify(authenticator.create(options, PASSKEY_SETTINGS)), label }).expect(303);
}

describe('a passkey’s name', () => {
  test('renamed (NFC, trimmed) and shown escaped; empty, too long or invisible names are refused; another citizen’s passkey is not found', async () => {
    const signed = await world.signedIn(CITIZEN);
    const authenticator = new SoftwareAuthenticator();
    await enrol(signed, authenticator, 'Telefono');
    const rename = (label: string, who = signed, id = authenticator.id) => post(who, '/account/passkeys/rename', { credential_id: id, label });

    const injected = '<img src=x onerror=alert(1)>';
    const done = await rename(`  ${injected}  `).expect(303);
    expect(done.headers.location).toBe('/account?done=passkey-renamed');
    const page = await signed.browser.get(done.headers.location!).expect(200);
    expect(page.text).toContain('<strong class="passkey-label">&lt;img src=x onerror=alert(1)&gt;</strong>');
    expect(page.text).not.toContain('<img src=x');
    expect((await world.store.passkey(authenticator.id))!.label).toBe(injected);

    await rename('Cafe\u0301').expect(303);
    expect((await world.store.passkey(authenticator.id))!.label).toBe('Caf\u00e9');
    await rename('x'.repeat(64)).expect(303);

    for (const refusedLabel of ['', '   ', 'x'.repeat(65), 'Tele\u0007fono', 'Tele\u202efono']) {
      const refused = await rename(refusedLabel).expect(400);
      expect(refused.text).toContain('data-code="passkey_label_invalid"');
      expect(refused.text).toMatch(new RegExp(`id="rename-${authenticator.id}"[^>]*aria-invalid=true`));
    }
    const echoed = await rename(`<b>${'y'.repeat(70)}`).expect(400);
    expect(echoed.text).toContain(`value="&lt;b&gt;${'y'.repeat(70)}"`);
    expect((await world.store.passkey(authenticator.id))!.label).toBe('x'.repeat(64));

    const other = await world.signedIn(OTHER_CITIZEN);
    const foreign = await rename('Mio', other).expect(404);
    expect(foreign.text).toContain('data-code="passkey_unknown"');
    expect((await world.store.passkey(authenticator.id))!.label).toBe('x'.repeat(64));
    expect(world.managed.filter((action) => action === 'passkey-renamed')).toHaveLength(3);
  }, 30_000);
});

describe('a passkey’s name at enrolment', () => {
  test('the same rules as a rename (NFC; nothing invisible or direction-flipping): a name they refuse leaves the passkey unnamed, never stored as typed', async () => {
    const signed = await world.signedIn(CITIZEN);
    const flipped = new SoftwareAuthenticator();
    await enrol(signed, flipped, 'Tele\u202efono');
    expect((await world.store.passkey(flipped.id))!.label).toBe('');
    const hidden = new SoftwareAuthenticator();
    await enrol(signed, hidden, 'Tele\u200bfono');
    expect((await world.store.passkey(hidden.id))!.label).toBe('');
    const decomposed = new SoftwareAuthenticator();
    await enrol(signed, decomposed, '  Cafe\u0301 ');
    expect((await world.store.passkey(decomposed.id))!.label).toBe('Caf\u00e9');
    const page = await signed.browser.get('/account').expect(200);
    expect(page.text).not.toContain('\u202e');
  }, 30_000);
});

describe('every change needs the fresh card proof and the CSRF token', () => {
  const changes = (id: string): Array<[string, Record<string, string>]> => [
    ['/account/credentials/contact', { email: NEW_EMAIL }],
    ['/account/credentials/contact/confirm', { code: '123456' }],
    ['/account/credentials/username', { username_kind: 'fiscal_code' }],
    ['/account/passkeys/rename', { credential_id: id, label: 'Nuovo' }],
  ];

  async function activeWithPasskey() {
    const signed = await activated();
    const authenticator = new SoftwareAuthenticator();
    await enrol(signed, authenticator, 'Telefono');
    return { signed, id: authenticator.id, mails: world.outbox.list().length };
  }

  async function nothingChanged(id: string, mails: number) {
    expect(await world.store.citizen(CITIZEN.fiscalCode)).toMatchObject({ email: EMAIL, emailConfirmed: true });
    expect(await world.store.pendingEmail(world.store.citizenIndex(CITIZEN.fiscalCode))).toBeUndefined();
    expect((await world.signIn.attempt(EMAIL, PASSWORD)).ok).toBe(true);
    expect((await world.store.passkey(id))!.label).toBe('Telefono');
    expect(world.outbox.list()).toHaveLength(mails);
  }

  test('a session opened without the card (level 2) shows none of the forms and is refused: card_sign_in_required', async () => {
    const { id, mails } = await activeWithPasskey();
    const weak = await world.signedIn(CITIZEN, 'weak');
    const page = await weak.browser.get('/account').expect(200);
    for (const form of ['id="contact-form"', 'id="username-form"', 'class="rename-passkey']) expect(page.text).not.toContain(form);
    for (const [path, fields] of changes(id)) {
      const refused = await post(weak, path, fields).expect(403);
      expect(refused.text).toContain('data-code="card_sign_in_required"');
    }
    await nothingChanged(id, mails);
  }, 30_000);

  test('a card sign-in older than 10 minutes is no longer a proof: card_sign_in_required', async () => {
    // The session as the page stored it at the card sign-in, then aged 11 minutes (the record itself, so the browser's cookie stays).
    const stored = jest.spyOn(world.state, 'putIfAbsent');
    const { signed, id, mails } = await activeWithPasskey();
    const [key, session] = stored.mock.calls.find(([name]) => name.startsWith('account-session:'))! as unknown as [string, { signedInAt: number }];
    stored.mockRestore();
    await world.state.put(key, { ...session, signedInAt: session.signedInAt - 11 * 60 * 1000 }, 600);
    for (const [path, fields] of changes(id)) {
      const refused = await post(signed, path, fields).expect(403);
      expect(refused.text).toContain('data-code="card_sign_in_required"');
    }
    const page = await signed.browser.get('/account').expect(200);
    expect(page.text).not.toContain('id="contact-form"');
    await nothingChanged(id, mails);
  }, 30_000);

  test('a missing or forged CSRF token is refused (403)', async () => {
    const { signed, id, mails } = await activeWithPasskey();
    for (const csrf of ['', 'forged']) {
      for (const [path, fields] of changes(id)) {
        const refused = await signed.browser.post(path).type('form').send({ ...(csrf ? { csrf } : {}), ...fields }).expect(403);
        expect(refused.text).toContain('data-code="csrf_invalid"');
      }
    }
    await nothingChanged(id, mails);
  }, 30_000);

  test('the credentials room itself refuses a change without a level-3 proof', async () => {
    const weakProof = { fiscalCode: CITIZEN.fiscalCode, acr: 'https://www.spid.gov.it/SpidL2' };
    await activated();
    await expect(world.credentials.contactChange.request(weakProof, NEW_EMAIL, 'it')).rejects.toBeInstanceOf(CredentialsError);
    await expect(world.credentials.usernameChange.change(weakProof, 'fiscal_code')).rejects.toMatchObject({ code: 'card_sign_in_required' });
    await expect(world.credentials.contactChange.confirm(weakProof, 'x'.repeat(22), '123456', 'it')).rejects.toMatchObject({ code: 'card_sign_in_required' });
  }, 30_000);
});
