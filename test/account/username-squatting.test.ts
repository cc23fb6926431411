import { CredentialsError } from '../../src/credentials/credentials-error.js';
import { DEFAULT_EMAIL_CODE_POLICY } from '../../src/credentials/email-codes.js';
import { CITIZEN, OTHER_CITIZEN, useCredentialsBackend } from '../credentials/support/credentials-backends.js';
import { codeFromOutboxPage, credentialsAccountWorld } from './support/credentials-account-app.js';

// Username squatting (docs/levels.md "Activating credentials"): an activation never confirmed holds
// its username only while its code lives; then another citizen's activation or contact change takes
// it, releasing the stale claim in the same transaction. A confirmed account's username is never released.

// Opened, migrated and emptied before each test by the shared credentials back end.
const backend = useCredentialsBackend('pglite');
let world: ReturnType<typeof credentialsAccountWorld>;
const clock = { now: Date.now() };
const ADDRESS = 'mario.rossi@example.it';
const OTHER_ADDRESS = 'laura.bianchi@example.org';
const PASSWORD = 'Girasole2024x';
const THIRD_CITIZEN = { fiscalCode: 'VRDGPP80A01H501U', claims: { given_name: 'Giuseppe', family_name: 'Verdi', fiscal_number: 'TINIT-VRDGPP80A01H501U' } };
const CODE_LIFETIME_MS = DEFAULT_EMAIL_CODE_POLICY.ttlSeconds * 1000;

beforeEach(() => {
  clock.now = Date.now();
  world = credentialsAccountWorld(backend.db, { now: () => clock.now });
});
afterEach(() => world.close());

type Browser = Awaited<ReturnType<typeof world.signedIn>>;


const post = (signed: Browser, path: string, fields: Record<string, string>) => signed.browser.post(path).type('form').send({ csrf: signed.csrf, ...fields });
const activate = (signed: Browser, email: string) => post(signed, '/account/credentials/activate', { username_kind: 'email', email, password: PASSWORD, password_again: PASSWORD });
const confirm = (signed: Browser, code: string) => post(signed, '/account/credentials/confirm', { code });

/** The codes' lifetime passes (and a second more) on the credentials' clock. */
function codeLifetimePasses(): void {
  clock.now += CODE_LIFETIME_MS + 1000;
}

async function activated(citizen: typeof CITIZEN, email: string, usernameKind: 'email' | 'fiscal_code' = 'email'): Promise<Browser> {
  const signed = await world.signedIn(citizen);
  await post(signed, '/account/credentials/activate', { username_kind: usernameKind, email, password: PASSWORD, password_again: PASSWORD }).expect(303);
  await confirm(signed, await codeFromOutboxPage(signed, email)).expect(303);
  return signed;
}

test('an activation never confirmed holds the address while its code lives, then another citizen takes it and the squatter’s late code fails cleanly', async () => {
  const squatter = await world.signedIn(CITIZEN);
  await activate(squatter, ADDRESS).expect(303);
  const squatterCode = await codeFromOutboxPage(squatter, ADDRESS);

  const owner = await world.signedIn(OTHER_CITIZEN);
  const refused = await activate(owner, ADDRESS).expect(409);
  expect(refused.text).toContain('data-code="username_taken"');
  expect(refused.text).toContain('si libera entro 10 minuti');

  codeLifetimePasses();
  await activate(owner, ADDRESS).expect(303);
  await confirm(owner, await codeFromOutboxPage(owner, ADDRESS)).expect(303);
  const signIn = await world.signIn.attempt(ADDRESS, PASSWORD);
  expect(signIn.ok).toBe(true);
  expect((await world.store.passwordFor({ kind: 'email', value: ADDRESS }))?.citizen.identity.fiscalCode).toBe(OTHER_CITIZEN.fiscalCode);

  // The squatter's claim went with its password and code: the late code is the usual code error.
  expect(await world.store.usernameIndexOf(world.store.citizenIndex(CITIZEN.fiscalCode))).toBeUndefined();
  const late = await confirm(squatter, squatterCode).expect(400);
  expect(late.text).toContain('data-code="code_invalid"');
  expect((await world.store.citizen(CITIZEN.fiscalCode))?.emailConfirmed).toBe(false);
});

test('a citizen whose username is the address moves it by a contact change only once the squatter’s code has expired', async () => {
  const owner = await activated(OTHER_CITIZEN, OTHER_ADDRESS);
  const squatter = await world.signedIn(CITIZEN);
  await activate(squatter, ADDRESS).expect(303);

  const refused = await post(owner, '/account/credentials/contact', { email: ADDRESS }).expect(409);
  expect(refused.text).toContain('data-code="contact_username_taken"');

  codeLifetimePasses();
  await post(owner, '/account/credentials/contact', { email: ADDRESS }).expect(303);
  await post(owner, '/account/credentials/contact/confirm', { code: await codeFromOutboxPage(owner, ADDRESS) }).expect(303);
  expect((await world.signIn.attempt(ADDRESS, PASSWORD)).ok).toBe(true);
  expect((await world.store.passwordFor({ kind: 'email', value: ADDRESS }))?.citizen.identity.fiscalCode).toBe(OTHER_CITIZEN.fiscalCode);
  expect((await world.signIn.attempt(OTHER_ADDRESS, PASSWORD)).ok).toBe(false);
});

test('a contact change confirmed while a squatter’s claim is still fresh is refused, and moves nothing', async () => {
  const owner = await activated(OTHER_CITIZEN, OTHER_ADDRESS);
  await post(owner, '/account/credentials/contact', { email: ADDRESS }).expect(303);
  const code = await codeFromOutboxPage(owner, ADDRESS);
  const squatter = await world.signedIn(CITIZEN);
  await activate(squatter, ADDRESS).expect(303);
  // Fresh: the confirmation meets the squatter's claim and is refused; nothing moved.
  const refused = await post(owner, '/account/credentials/contact/confirm', { code }).expect(409);
  expect(refused.text).toContain('data-code="contact_username_taken"');
  expect((await world.store.citizen(OTHER_CITIZEN.fiscalCode))?.email).toBe(OTHER_ADDRESS);
  expect((await world.store.passwordFor({ kind: 'email', value: ADDRESS }))?.citizen.identity.fiscalCode).toBe(CITIZEN.fiscalCode);
});

test('the contact address becomes the username only once the squatter’s code has expired', async () => {
  const owner = await activated(OTHER_CITIZEN, ADDRESS, 'fiscal_code');
  const squatter = await world.signedIn(CITIZEN);
  await activate(squatter, ADDRESS).expect(303);

  const refused = await post(owner, '/account/credentials/username', { username_kind: 'email' }).expect(409);
  expect(refused.text).toContain('data-code="username_email_taken"');

  codeLifetimePasses();
  await post(owner, '/account/credentials/username', { username_kind: 'email' }).expect(303);
  expect((await world.signIn.attempt(ADDRESS, PASSWORD)).ok).toBe(true);
  expect((await world.store.passwordFor({ kind: 'email', value: ADDRESS }))?.citizen.identity.fiscalCode).toBe(OTHER_CITIZEN.fiscalCode);
});

test('a confirmed account’s username is never released, however old', async () => {
  await activated(CITIZEN, ADDRESS);
  clock.now += 365 * 24 * 3600 * 1000;
  const other = await world.signedIn(OTHER_CITIZEN);
  const refused = await activate(other, ADDRESS).expect(409);
  expect(refused.text).toContain('data-code="username_taken"');

  const owner = await activated(THIRD_CITIZEN, OTHER_ADDRESS);
  await post(owner, '/account/credentials/contact', { email: ADDRESS }).expect(409);
  expect((await world.store.passwordFor({ kind: 'email', value: ADDRESS }))?.citizen.identity.fiscalCode).toBe(CITIZEN.fiscalCode);
  expect((await world.store.citizen(CITIZEN.fiscalCode))?.emailConfirmed).toBe(true);
});

test('two citizens claiming a released address at once: exactly one wins, the other gets username_taken', async () => {
  const squatter = await world.signedIn(CITIZEN);
  await activate(squatter, ADDRESS).expect(303);
  codeLifetimePasses();

  const { hasher } = world.credentials;
  const { store, codes } = world;
  const claim = async (citizen: typeof CITIZEN) => {
    const citizenIndex = await store.saveIdentity({ fiscalCode: citizen.fiscalCode, claims: citizen.claims });
    return store.setPassword(citizenIndex, { kind: 'email', value: ADDRESS }, await hasher.hash(PASSWORD), codes.staleClaims());
  };
  const outcomes = await Promise.allSettled([claim(OTHER_CITIZEN), claim(THIRD_CITIZEN)]);
  expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
  const [lost] = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
  expect(lost!.reason).toBeInstanceOf(CredentialsError);
  expect((lost!.reason as CredentialsError).code).toBe('username_taken');
  const holder = (await store.passwordFor({ kind: 'email', value: ADDRESS }))!.citizen.identity.fiscalCode;
  expect([OTHER_CITIZEN.fiscalCode, THIRD_CITIZEN.fiscalCode]).toContain(holder);
});
