import { ChallengeStore } from '../../src/cie/challenge-store.js';
import { accountSignInBinding, CompletionTickets, completionPath } from '../../src/sign-in/completion-tickets.js';
import { MemoryStateStore } from '../../src/storage/state/memory-state-store.js';
import { chooseLanguage } from '../../src/shared/language.js';

let store: MemoryStateStore;
beforeEach(() => { store = new MemoryStateStore(); });
afterEach(() => store.close());

test('a challenge is 32 random bytes, bound to its interaction, and can be consumed once', async () => {
  const challenges = new ChallengeStore(store, 300);
  const record = await challenges.issue('uid-1', 'https://id.example.it');
  expect(Buffer.from(record.challenge, 'base64url')).toHaveLength(32);
  expect(record.expiresAt - record.issuedAt).toBe(300_000);
  const [first, second] = await Promise.all([challenges.consume(record.challenge), challenges.consume(record.challenge)]);
  expect([first?.interactionUid, second]).toEqual(['uid-1', undefined]);
});

test('a challenge expires after its lifetime', async () => {
  let now = 1_000_000;
  const clockStore = new MemoryStateStore(() => now);
  const challenges = new ChallengeStore(clockStore, 300, () => now);
  const record = await challenges.issue('uid-1', 'https://id.example.it');
  now += 301_000;
  expect(await challenges.consume(record.challenge)).toBeUndefined();
  await clockStore.close();
});

test('malformed challenge strings are simply unknown', async () => {
  const challenges = new ChallengeStore(store, 300);
  for (const bad of ['', 'x', 'a'.repeat(44), '../../etc', 'é'.repeat(43)]) expect(await challenges.consume(bad)).toBeUndefined();
});

test('a ticket tried with another binding is not used up: its own interaction still redeems it', async () => {
  const tickets = new CompletionTickets(store);
  const ticket = await tickets.issue({ kind: 'login', boundTo: 'uid-1', fiscalCode: 'RSSMRA85T10A562S', claims: {} });
  expect(await tickets.redeem(ticket, 'uid-2')).toBeUndefined();
  expect(await tickets.redeem(ticket, accountSignInBinding('uid-1'))).toBeUndefined();
  expect(await tickets.redeem(ticket, 'uid-1')).toMatchObject({ kind: 'login', boundTo: 'uid-1' });
  expect(await tickets.redeem(ticket, 'uid-1')).toBeUndefined();
});

test('looking up who waits for a challenge leaves the challenge in place', async () => {
  const challenges = new ChallengeStore(store, 300);
  const record = await challenges.issue('uid-1', 'https://id.example.it');
  expect(await challenges.bindingOf(record.challenge)).toBe('uid-1');
  expect(await challenges.bindingOf('x')).toBeUndefined();
  expect((await challenges.consume(record.challenge))?.interactionUid).toBe('uid-1');
  expect(await challenges.bindingOf(record.challenge)).toBeUndefined();
});

test('a completion ticket works once, and only for its own interaction', async () => {
  const tickets = new CompletionTickets(store);
  const ticket = await tickets.issue({ kind: 'failure', boundTo: 'uid-1', code: 'cancelled' });
  expect(await tickets.redeem(ticket, 'uid-2')).toBeUndefined();
  const other = await tickets.issue({ kind: 'failure', boundTo: 'uid-1', code: 'cancelled' });
  expect(await tickets.redeem(other, 'uid-1')).toEqual({ kind: 'failure', boundTo: 'uid-1', code: 'cancelled' });
  expect(await tickets.redeem(other, 'uid-1')).toBeUndefined();
});

test('an account sign-in ticket is redeemed only by its sign-in, never by an interaction, and vice versa', async () => {
  const tickets = new CompletionTickets(store);
  const accountBinding = accountSignInBinding('sign-in-1');
  const accountTicket = await tickets.issue({ kind: 'failure', boundTo: accountBinding, code: 'cancelled' });
  expect(await tickets.redeem(accountTicket, 'sign-in-1')).toBeUndefined();
  const interactionTicket = await tickets.issue({ kind: 'failure', boundTo: 'sign-in-1', code: 'cancelled' });
  expect(await tickets.redeem(interactionTicket, accountBinding)).toBeUndefined();
  const again = await tickets.issue({ kind: 'failure', boundTo: accountBinding, code: 'cancelled' });
  expect(await tickets.redeem(again, accountBinding)).toMatchObject({ boundTo: accountBinding });
});

test('the completion step is the account page for an account sign-in, else the interaction', async () => {
  expect(completionPath(accountSignInBinding('abc'), 'T')).toBe('/account/cie/complete?ticket=T');
  expect(completionPath('uid-1', 'T')).toBe('/interaction/uid-1/cie/complete?ticket=T');
});

test('a challenge carries its binding back unchanged', async () => {
  const challenges = new ChallengeStore(store, 300);
  const record = await challenges.issue(accountSignInBinding('abc'), 'https://id.example.it');
  expect((await challenges.consume(record.challenge))?.interactionUid).toBe(accountSignInBinding('abc'));
});

test('Italian first; English only when asked for or preferred over Italian', () => {
  expect(chooseLanguage({})).toBe('it');
  expect(chooseLanguage({ acceptLanguage: 'de-DE,de;q=0.9' })).toBe('it');
  expect(chooseLanguage({ acceptLanguage: 'en-GB,en;q=0.9,it;q=0.8' })).toBe('en');
  expect(chooseLanguage({ acceptLanguage: 'it-IT,en;q=0.5' })).toBe('it');
  expect(chooseLanguage({ query: 'en', acceptLanguage: 'it' })).toBe('en');
  expect(chooseLanguage({ uiLocales: 'en-US it' })).toBe('en');
  expect(chooseLanguage({ query: 'xx', cookie: 'en' })).toBe('en');
});
