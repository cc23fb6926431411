import Koa from 'koa';
import request from 'supertest';
import { ChallengeStore } from '../../src/cie/challenge-store.js';
import { ACR } from '../../src/oidc/acr.js';
import { bindingKey } from '../../src/sign-in/binding-key.js';
import type { CardLoginVerifier, VerifiedCardLogin } from '../../src/sign-in/card/card-login-verifier.js';
import { noCardRateLimits } from '../../src/sign-in/card/card-rate-limits.js';
import { createCardSignIn } from '../../src/sign-in/card/card-sign-in.js';
import { CompletionTickets } from '../../src/sign-in/completion-tickets.js';
import type { SignInWaiters } from '../../src/sign-in/sign-in-binding.js';
import { MemoryStateStore } from '../../src/storage/state/memory-state-store.js';

/** The posted "assertion" is the verified login itself: the card room's own steps are what is tested. */
const trusting: CardLoginVerifier = {
  verify: async (raw) => JSON.parse(raw) as VerifiedCardLogin,
};

const CITIZEN = { fiscalCode: 'RSSMRA85T10A562S', claims: { given_name: 'Mario' }, certificateSerial: '01ab' };

let store: MemoryStateStore;
let challenges: ChallengeStore;
let tickets: CompletionTickets;
const waiters: SignInWaiters = {
  // A waiter of the test's own: the card room knows no path but the ones the waiter names.
  desk: { completionPath: (id, ticket) => `/desk/${id}/done?t=${ticket}` },
};

function cardApp() {
  const card = createCardSignIn({ origin: 'https://id.example.it', bridgeUrl: 'http://127.0.0.1:9', challenges, tickets, verifier: trusting, waiters, rateLimits: noCardRateLimits() });
  const app = new Koa();
  app.use(card.routes.routes());
  app.silent = true;
  return { app, card };
}

beforeEach(() => {
  store = new MemoryStateStore();
  challenges = new ChallengeStore(store, 300);
  tickets = new CompletionTickets(store, challenges);
});
afterEach(() => store.close());

test('the completion path comes from the waiter, and its ticket carries a level-3 VerifiedCitizen for that binding only', async () => {
  const { app } = cardApp();
  const binding = { waiter: 'desk', id: 'd-1' };
  const answer = await request(app.callback()).post('/cie/assertion').type('form').send({ assertion: JSON.stringify({ ...CITIZEN, boundTo: bindingKey(binding) }) });
  expect(answer.status).toBe(303);
  const location = new URL(answer.headers.location!, 'https://id.example.it');
  expect(location.pathname).toBe('/desk/d-1/done');
  const ticket = location.searchParams.get('t')!;
  expect(await tickets.redeem(ticket, { waiter: 'desk', id: 'd-2' })).toBeUndefined();
  expect(await tickets.redeem(ticket, binding)).toEqual({
    kind: 'verified',
    citizen: { method: 'cie-card', fiscalCode: CITIZEN.fiscalCode, claims: CITIZEN.claims, acr: ACR.L3, amr: ['sc', 'pin', 'mfa'], certificateSerial: '01ab' },
  });
});

test('a cancel at the bridge becomes a failure ticket for the waiter; the challenge ends only when the waiter redeems it', async () => {
  const { app } = cardApp();
  const binding = { waiter: 'desk', id: 'd-1' };
  const { challenge } = await challenges.issue(bindingKey(binding), 'https://id.example.it');
  const answer = await request(app.callback()).post('/cie/assertion').type('form').send({ error: 'cancelled', challenge });
  expect(answer.status).toBe(303);
  const ticket = new URL(answer.headers.location!, 'https://id.example.it').searchParams.get('t')!;
  expect(await challenges.bindingOf(challenge)).toBe('desk:d-1');
  expect(await tickets.redeem(ticket, binding)).toEqual({ kind: 'failure', method: 'cie-card', code: 'cancelled' });
  expect(await challenges.bindingOf(challenge)).toBeUndefined();
});

test('a binding of an unknown waiter is refused: no challenge at the start, no ticket for an assertion', async () => {
  const { app, card } = cardApp();
  const writes: string[] = [];
  const putIfAbsent = store.putIfAbsent.bind(store);
  store.putIfAbsent = (key, ...rest) => { writes.push(key); return putIfAbsent(key, ...rest); };
  const redirects: string[] = [];
  const ctx = { status: 200, redirect: (url: string) => redirects.push(url) } as never;
  await expect(card.start(ctx, { waiter: 'ghost', id: 'g-1' }, 'it')).rejects.toMatchObject({ code: 'unknown_waiter' });
  expect(redirects).toEqual([]);

  for (const boundTo of ['ghost:g-1', 'toString:x', 'no-waiter-at-all']) {
    const answer = await request(app.callback()).post('/cie/assertion').type('form').send({ assertion: JSON.stringify({ ...CITIZEN, boundTo }) });
    expect(answer.status).toBe(400);
    expect(answer.headers.location).toBeUndefined();
    expect(answer.text).toContain('data-code="challenge_unknown"');
  }
  expect(writes).toEqual([]);
});

test('the card start issues a challenge bound to the waiter and sends the browser to the bridge', async () => {
  const { card } = cardApp();
  let location = '';
  const ctx = { status: 200, redirect: (url: string) => { location = url; } } as never;
  await card.start(ctx, { waiter: 'desk', id: 'd-9' }, 'en');
  const url = new URL(location);
  expect(`${url.origin}${url.pathname}`).toBe('http://127.0.0.1:9/login');
  expect(url.searchParams.get('origin')).toBe('https://id.example.it');
  expect(url.searchParams.get('lang')).toBe('en');
  expect(await challenges.bindingOf(url.searchParams.get('challenge')!)).toBe('desk:d-9');
});
