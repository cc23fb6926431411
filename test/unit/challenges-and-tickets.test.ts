import { ChallengeStore } from '../../src/cie/challenge-store.js';
import { CompletionTickets } from '../../src/sign-in/completion-tickets.js';
import { bindingFromKey, bindingKey } from '../../src/sign-in/binding-key.js';
import { waiterOf } from '../../src/sign-in/sign-in-waiter-lookup.js';
import { interactionWaiter } from '../../src/interaction/interaction-waiter.js';
import { accountSignInWaiter } from '../../src/account/account-sign-in-waiter.js';
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
  expect([first?.boundTo, second]).toEqual(['uid-1', undefined]);
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

const interaction = (id: string) => ({ waiter: 'interaction', id });
const account = (id: string) => ({ waiter: 'account', id });
const login = { kind: 'verified' as const, citizen: { method: 'cie-card', fiscalCode: 'RSSMRA85T10A562S', claims: {}, acr: 'https://www.spid.gov.it/SpidL3', amr: ['sc', 'pin', 'mfa'] } };
const cancelled = { kind: 'failure' as const, method: 'cie-card', code: 'cancelled' };

test('a ticket tried with another binding is not used up: its own interaction still redeems it', async () => {
  const tickets = new CompletionTickets(store, new ChallengeStore(store, 300));
  const ticket = await tickets.issue(interaction('uid-1'), login);
  expect(await tickets.redeem(ticket, interaction('uid-2'))).toBeUndefined();
  expect(await tickets.redeem(ticket, account('uid-1'))).toBeUndefined();
  expect(await tickets.redeem(ticket, interaction('uid-1'))).toMatchObject({ kind: 'verified', citizen: { fiscalCode: 'RSSMRA85T10A562S' } });
  expect(await tickets.redeem(ticket, interaction('uid-1'))).toBeUndefined();
});

test('looking up who waits for a challenge leaves the challenge in place', async () => {
  const challenges = new ChallengeStore(store, 300);
  const record = await challenges.issue('uid-1', 'https://id.example.it');
  expect(await challenges.bindingOf(record.challenge)).toBe('uid-1');
  expect(await challenges.bindingOf('x')).toBeUndefined();
  expect((await challenges.consume(record.challenge))?.boundTo).toBe('uid-1');
  expect(await challenges.bindingOf(record.challenge)).toBeUndefined();
});

test('a completion ticket works once, and only for its own interaction', async () => {
  const tickets = new CompletionTickets(store, new ChallengeStore(store, 300));
  const ticket = await tickets.issue(interaction('uid-1'), cancelled);
  expect(await tickets.redeem(ticket, interaction('uid-2'))).toBeUndefined();
  const other = await tickets.issue(interaction('uid-1'), cancelled);
  expect(await tickets.redeem(other, interaction('uid-1'))).toEqual(cancelled);
  expect(await tickets.redeem(other, interaction('uid-1'))).toBeUndefined();
});

test('an account sign-in ticket is redeemed only by its sign-in, never by an interaction, and vice versa', async () => {
  const tickets = new CompletionTickets(store, new ChallengeStore(store, 300));
  const accountTicket = await tickets.issue(account('sign-in-1'), cancelled);
  expect(await tickets.redeem(accountTicket, interaction('sign-in-1'))).toBeUndefined();
  const interactionTicket = await tickets.issue(interaction('sign-in-1'), cancelled);
  expect(await tickets.redeem(interactionTicket, account('sign-in-1'))).toBeUndefined();
  const again = await tickets.issue(account('sign-in-1'), cancelled);
  expect(await tickets.redeem(again, account('sign-in-1'))).toEqual(cancelled);
});

test('a cancelled challenge ends only when the waiting browser redeems its ticket', async () => {
  const challenges = new ChallengeStore(store, 300);
  const tickets = new CompletionTickets(store, challenges);
  const record = await challenges.issue(bindingKey(interaction('uid-1')), 'https://id.example.it');
  const ticket = await tickets.issue(interaction('uid-1'), cancelled, { endsChallenge: record.challenge });
  expect(await tickets.redeem(ticket, interaction('uid-2'))).toBeUndefined();
  expect(await challenges.bindingOf(record.challenge)).toBe('interaction:uid-1');
  expect(await tickets.redeem(ticket, interaction('uid-1'))).toEqual(cancelled);
  expect(await challenges.bindingOf(record.challenge)).toBeUndefined();
});

test('ticket keys have one length whatever the binding', async () => {
  const keys: string[] = [];
  const recording = { putIfAbsent: async (key: string) => { keys.push(key); return true; } } as never;
  const recorded = new CompletionTickets(recording, new ChallengeStore(store, 300));
  await recorded.issue(interaction('u'), cancelled);
  await recorded.issue(account('x'.repeat(500)), cancelled);
  expect(keys).toHaveLength(2);
  expect(new Set(keys.map((key) => key.length)).size).toBe(1);
});

test('the completion step is the one the waiter names: the account page for an account sign-in, else the interaction', async () => {
  expect(accountSignInWaiter.completionPath('abc', 'T')).toBe('/account/cie/complete?ticket=T');
  expect(interactionWaiter.completionPath('uid-1', 'T')).toBe('/interaction/uid-1/cie/complete?ticket=T');
});

test('a binding is written as <waiter>:<id> and read back; a waiter nobody registered is refused', async () => {
  expect(bindingKey(account('abc'))).toBe('account:abc');
  expect(bindingFromKey('account:a:b')).toEqual(account('a:b'));
  expect(bindingFromKey('uid-without-waiter')).toBeUndefined();
  const waiters = { interaction: interactionWaiter };
  expect(waiterOf(waiters, interaction('uid-1'))).toBe(interactionWaiter);
  for (const unknown of [account('abc'), { waiter: 'toString', id: 'x' }, { waiter: 'interaction:x', id: 'y' }]) {
    expect(() => waiterOf(waiters, unknown)).toThrow(expect.objectContaining({ code: 'unknown_waiter' }));
  }
});

test('a challenge carries its binding back unchanged', async () => {
  const challenges = new ChallengeStore(store, 300);
  const record = await challenges.issue(bindingKey(account('abc')), 'https://id.example.it');
  expect((await challenges.consume(record.challenge))?.boundTo).toBe(bindingKey(account('abc')));
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
