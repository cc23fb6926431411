import Router from '@koa/router';
import { ACR } from '../../src/oidc/acr.js';
import type { SignInMethod } from '../../src/sign-in/sign-in-method.js';
import { MemoryStateStore } from '../../src/storage/state/memory-state-store.js';
import { FixedWindowLimiter } from '../../src/storage/state/rate-limiter.js';
import { captureLogs } from '../support/captured-logs.js';
import { authorizationRequest } from '../profile/support/request-object.js';
import { startProfileStack, type ProfileStack } from '../profile/support/profile-stack.js';
import { TestBrowser } from '../support/test-browser.js';

/** A level-1 method of the test's own (drawn with the password's entry view under its own start path); it records its starts. */
const started: string[] = [];
const levelOne: SignInMethod = {
  id: 'test-password',
  level: 1,
  pathName: 'test-password',
  choiceView: 'sign-in/password-choice',
  start: async (ctx, binding) => {
    started.push(`${binding.waiter}:${binding.id}`);
    ctx.status = 204;
  },
  failureMessage: (code) => code,
  routes: new Router(),
};

// The start endpoint's per-network window, on a clock of the test's own: each test begins a window of its own.
const LIMIT = 2;
const limits = new MemoryStateStore();
let now = 1_800_000_000_000;
const perNetwork = new FixedWindowLimiter(limits, { name: 'card-ip', limit: LIMIT, windowSeconds: 60, windowStart: 'clock' }, () => now);

let stack: ProfileStack;
beforeAll(async () => {
  stack = await startProfileStack({ extraMethods: [levelOne], perNetwork });
});
afterAll(async () => {
  await stack?.close();
  await limits.close();
});
beforeEach(() => {
  now += 60_000;
  started.length = 0;
});

async function loginPage(acrValues: string) {
  const browser = new TestBrowser(stack.rp.redirectUri);
  const page = await browser.get((await authorizationRequest(stack, stack.rp, { prompt: 'consent login', acr_values: acrValues })).href);
  const uid = /\/interaction\/([^/?#]+)$/.exec(page.url)?.[1];
  if (!uid) throw new Error(`no login page: ${page.status} ${page.url} ${page.body.slice(0, 300)}`);
  return { browser, page, uid };
}

test('a level-1 request is offered every method that reaches level 1, the level it lists first (docs/levels.md)', async () => {
  const { page, uid } = await loginPage(ACR.L1);
  expect(page.status).toBe(200);
  const actions = [...page.body.matchAll(/<form method="post" action="([^"]+)"/g)].map((match) => match[1]);
  expect(actions).toEqual([`/interaction/${uid}/test-password`, `/interaction/${uid}/cie`]);
});

test('a level-3 request is offered the card only, and the level-1 method cannot be started for it', async () => {
  const { browser, page, uid } = await loginPage(ACR.L3);
  expect(page.body).toContain(`action="/interaction/${uid}/cie"`);
  expect(page.body).not.toContain('test-password');
  const refused = await browser.post(`${stack.issuer}/interaction/${uid}/test-password`, {}, stack.issuer);
  expect(refused.status).toBe(400);
  expect(refused.body).toContain('data-code="wrong_prompt"');
  expect(started).toEqual([]);
});

test('a method the request allows is started with the interaction as its waiter', async () => {
  const { browser, uid } = await loginPage(`${ACR.L2} ${ACR.L1}`);
  const answer = await browser.post(`${stack.issuer}/interaction/${uid}/test-password`, {}, stack.issuer);
  expect(answer.status).toBe(204);
  expect(started).toEqual([`interaction:${uid}`]);
});

test('a method with no per-network code of its own is still counted: the start endpoint refuses past the window, with the 429 page and its links', async () => {
  const { browser, uid } = await loginPage(ACR.L1);
  const post = () => browser.post(`${stack.issuer}/interaction/${uid}/test-password`, {}, stack.issuer);
  const logs = captureLogs('warn');
  const answers = [];
  try {
    for (let i = 0; i <= LIMIT; i += 1) answers.push(await post());
  } finally {
    logs.restore();
  }
  expect(answers.map((answer) => answer.status)).toEqual([...Array<number>(LIMIT).fill(204), 429]);
  expect(started).toHaveLength(LIMIT);
  const refused = answers[LIMIT]!;
  expect(refused.body).toContain('data-code="too_many_requests"');
  // "Riprova" posts this method's start again; "Torna al servizio" aborts the interaction.
  expect(refused.body).toContain(`action="/interaction/${uid}/test-password"`);
  expect(refused.body).toContain(`href="/interaction/${uid}/abort"`);
  expect(logs.lines).toEqual([expect.objectContaining({ event: 'sign_in_network_limited', component: 'sign-in', method: 'test-password', limit: LIMIT })]);
});
