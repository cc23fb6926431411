import Koa from 'koa';
import request from 'supertest';
import { accountRoutes } from '../../src/account/account-routes.js';
import { AccountSessions } from '../../src/account/account-sessions.js';
import { ACCOUNT_WAITER, accountSignInWaiter } from '../../src/account/account-sign-in-waiter.js';
import { ACR } from '../../src/oidc/acr.js';
import { noCardRateLimits } from '../../src/sign-in/card/card-rate-limits.js';
import { CompletionTickets } from '../../src/sign-in/completion-tickets.js';
import type { SignInBinding } from '../../src/sign-in/sign-in-binding.js';
import type { SignInMethod } from '../../src/sign-in/sign-in-method.js';
import { MemoryStateStore } from '../../src/storage/state/memory-state-store.js';
import { FixedWindowLimiter } from '../../src/storage/state/rate-limiter.js';
import { captureLogs } from '../support/captured-logs.js';

// The account page as a waiter of any sign-in method: two methods of the test's own, so what is
// tested is the page's side (start paths, binding, cookie, redemption), not the card's.

let store: MemoryStateStore;
let tickets: CompletionTickets;
let started: SignInBinding[];

function testMethod(pathName: string): SignInMethod {
  return {
    id: `test-${pathName}`,
    level: 3,
    pathName,
    choiceView: 'sign-in/card-choice',
    start: async (ctx, binding) => {
      started.push(binding);
      ctx.status = 303;
      ctx.redirect(`https://method.example/${pathName}`);
    },
    failureMessage: (code, language) => `${pathName} ${language}: ${code}`,
    routes: undefined as never,
  };
}

function accountApp(methods: SignInMethod[] = [testMethod('cie'), testMethod('otp')], perNetwork = noCardRateLimits().perNetwork) {
  const app = new Koa();
  app.keys = ['test cookie key'];
  app.silent = true;
  app.use(accountRoutes({
    methods,
    perNetwork,
    waiters: { [ACCOUNT_WAITER]: accountSignInWaiter },
    tickets,
    signInTtlSeconds: 300,
    sessions: new AccountSessions(store),
    offlineAccess: { list: async () => [], withdraw: async () => 0 },
  }).routes());
  return request.agent(app.callback());
}

beforeEach(() => {
  store = new MemoryStateStore();
  tickets = new CompletionTickets(store, { consume: async () => undefined });
  started = [];
});
afterEach(() => store.close());

test('the sign-in page offers the entry of every method it is given, each posting to its own start path', async () => {
  const page = await accountApp().get('/account');
  expect(page.status).toBe(200);
  expect([...page.text.matchAll(/<form method="post" action="([^"]+)"/g)].map((match) => match[1])).toEqual(['/account/cie', '/account/otp']);
});

test('starting a method binds it to { waiter: account, id }, an id only the signed sign-in cookie carries', async () => {
  const answer = await accountApp().post('/account/otp');
  expect(answer.status).toBe(303);
  expect(answer.headers.location).toBe('https://method.example/otp');
  expect(started).toHaveLength(1);
  const binding = started[0]!;
  expect(binding.waiter).toBe('account');
  expect(binding.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
  const cookies = ([] as string[]).concat(answer.headers['set-cookie'] ?? []);
  const signIn = cookies.find((cookie) => cookie.startsWith('account_sign_in='))!;
  expect(signIn).toContain(`account_sign_in=${binding.id};`);
  expect(signIn).toMatch(/path=\/account;/);
  expect(signIn).toMatch(/samesite=lax/);
  expect(signIn).toMatch(/httponly/);
  // As long as the method may take (300 s here) and its ticket (120 s), counted from the answer's Date.
  const lifetime = (Date.parse(/expires=([^;]+)/.exec(signIn)![1]!) - Date.parse(answer.headers.date!)) / 1000;
  expect(Math.abs(lifetime - 420)).toBeLessThanOrEqual(1);
  expect(cookies.some((cookie) => cookie.startsWith('account_sign_in.sig='))).toBe(true);
  // The completion path never names the id: only the browser holding the cookie can redeem.
  expect(accountSignInWaiter.completionPath(binding.id, 'TICKET')).toBe('/account/cie/complete?ticket=TICKET');
});

test('a verified citizen redeemed for this browser’s binding gets a new account session', async () => {
  const browser = accountApp();
  await browser.post('/account/cie');
  const ticket = await tickets.issue(started[0]!, { kind: 'verified', citizen: { method: 'test-cie', fiscalCode: 'RSSMRA85T10A562S', claims: {}, acr: ACR.L3, amr: ['sc'] } });
  const done = await browser.get(`/account/cie/complete?ticket=${ticket}`);
  expect(done.status).toBe(303);
  expect(done.headers.location).toBe('/account');
  expect(([] as string[]).concat(done.headers['set-cookie'] ?? []).some((cookie) => /^account_session=[A-Za-z0-9_-]{43};/.test(cookie))).toBe(true);
  const page = await browser.get('/account');
  expect(page.text).toContain('RSSMRA85T10A562S');
});

test('a failure is worded by the method that failed, and a ticket of another binding is unknown here', async () => {
  const browser = accountApp();
  await browser.post('/account/otp');
  const failed = await tickets.issue(started[0]!, { kind: 'failure', method: 'test-otp', code: 'otp_wrong' });
  const page = await browser.get(`/account/cie/complete?ticket=${failed}&lang=en`);
  expect(page.status).toBe(400);
  expect(page.text).toContain('data-code="otp_wrong"');
  expect(page.text).toContain('otp en: otp_wrong');

  await browser.post('/account/cie');
  const others = await tickets.issue({ waiter: 'account', id: 'x'.repeat(43) }, { kind: 'failure', method: 'test-cie', code: 'cancelled' });
  const unknown = await browser.get(`/account/cie/complete?ticket=${others}`);
  expect(unknown.status).toBe(400);
  expect(unknown.text).toContain('data-code="challenge_unknown"');
});

test('every start counts in the per-network window, for a method with no limit of its own: past it the 429 page, before any cookie or start', async () => {
  // The test method counts nothing itself: the refusal is the start endpoint's. A fixed clock keeps both starts in one window.
  const perNetwork = new FixedWindowLimiter(store, { name: 'card-ip', limit: 1, windowSeconds: 60, windowStart: 'clock' }, () => 1_800_000_000_000);
  const browser = accountApp([testMethod('cie'), testMethod('otp')], perNetwork);
  const logs = captureLogs('warn');
  let refused;
  try {
    expect((await browser.post('/account/cie')).status).toBe(303);
    refused = await browser.post('/account/otp').set('Accept', 'text/html');
  } finally {
    logs.restore();
  }
  // The network's line names the method whose start met the limit.
  expect(logs.lines).toEqual([expect.objectContaining({ event: 'sign_in_network_limited', component: 'sign-in', method: 'test-otp', limit: 1 })]);
  expect(refused.status).toBe(429);
  expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  expect(refused.text).toContain('data-code="too_many_requests"');
  expect(started).toHaveLength(1);
  expect(([] as string[]).concat(refused.headers['set-cookie'] ?? []).some((cookie) => cookie.startsWith('account_sign_in='))).toBe(false);
  // Drawn for a form post: the switch leads to the page itself, not to a GET of the post's URL; no service to go back to.
  expect(refused.text).toContain('href="/account?lang=en"');
  expect(refused.text).not.toContain('id="back-to-service"');
});
