import { windowAt } from '../../src/storage/state/fixed-window.js';
import { DEMO_PIN } from '../../src/simulator/demo-environment.js';
import { startAccountStack, type AccountStack } from '../account/support/account-stack.js';
import { CardLoginFlow } from '../support/card-login-flow.js';
import { startTestStack, type TestStack } from '../support/local-stack.js';
import { formIn, type BrowserResponse } from '../support/test-browser.js';

/**
 * `send` inside one clock minute, the per-address window: if the minute turned over between its first and last
 * request (a margin checked beforehand can be outrun under CI load), the counts started again, so it runs
 * again with fresh addresses (`attempt` names them). It only collects answers; the test asserts on them after.
 */
async function inOneMinute<T>(send: (attempt: number) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    const before = windowAt(Date.now(), 60).index;
    const answers = await send(attempt);
    if (windowAt(Date.now(), 60).index === before) return answers;
  }
}

/** The per-interaction counters' window: the interaction's life, from its first challenge or failure. */
const INTERACTION_WINDOW = 1800;

/** The bridge's auto-posted assertion with one bit of the card's signature flipped: a refused assertion. */
async function postTamperedAssertion(flow: CardLoginFlow, pinPage: BrowserResponse): Promise<BrowserResponse> {
  const forward = await flow.enterPin(pinPage, DEMO_PIN);
  const { action, fields } = formIn(forward.body, { action: /\/cie\/assertion$/ });
  const tampered = JSON.parse(fields.assertion!);
  const signature = Buffer.from(tampered.signature, 'base64url');
  signature.writeUInt8(signature.readUInt8(10) ^ 0x01, 10);
  tampered.signature = signature.toString('base64url');
  return flow.browser.post(action, { assertion: JSON.stringify(tampered) }, bridgeOrigin);
}

let bridgeOrigin: string;

function expectTooMany(response: BrowserResponse, code: string, text: RegExp): void {
  expect(response.status).toBe(429);
  expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(response.body).toContain(`data-code="${code}"`);
  expect(response.body).toMatch(text);
}

describe('card limits on a provider with small limits', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({
      providerEnv: { CARD_CHALLENGES_PER_INTERACTION: '3', CARD_FAILURES_PER_INTERACTION: '2', CARD_REQUESTS_PER_IP: '20', TRUST_PROXY: 'true' },
    });
    bridgeOrigin = stack.bridge.url;
  }, 120_000);
  afterAll(async () => {
    await stack?.dispose();
  });

  test('the 4th challenge of one interaction is a 429 in Italian or English; another interaction is unaffected', async () => {
    const flow = new CardLoginFlow(stack);
    const loginPage = await flow.openLoginPage();
    for (let i = 0; i < 3; i += 1) {
      const pinPage = await flow.clickEntraConCie(loginPage);
      expect(pinPage.url.startsWith(stack.bridge.url)).toBe(true);
    }
    const refused = await flow.clickEntraConCie(loginPage);
    expectTooMany(refused, 'too_many_challenges', /Hai avviato l’accesso con la CIE troppe volte in questa sessione\. Per sicurezza ricomincia l’accesso dal sito del servizio\./);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(INTERACTION_WINDOW);
    expect(refused.body).toMatch(/href="\/interaction\/[^/]+\/abort"/);
    expect(refused.body).not.toContain('/cie"><button');

    await flow.browser.jar.setCookie('lang=en', stack.issuer);
    expectTooMany(await flow.clickEntraConCie(loginPage), 'too_many_challenges', /You started the CIE sign-in too many times in this session/);

    const other = new CardLoginFlow(stack);
    expect((await other.clickEntraConCie(await other.openLoginPage())).url.startsWith(stack.bridge.url)).toBe(true);
  });

  test('after 2 refused assertions the citizen is told to start again; the 3rd assertion and any new challenge are a 429', async () => {
    const flow = new CardLoginFlow(stack);
    const loginPage = await flow.openLoginPage();
    // Three challenges at once (within the limit of 3), as a script racing the failure limit would.
    const pinPages = [];
    for (let i = 0; i < 3; i += 1) pinPages.push(await flow.clickEntraConCie(loginPage));

    const first = await postTamperedAssertion(flow, pinPages[0]!);
    expect(first.status).toBe(400);
    expect(first.body).toContain('data-code="invalid_signature"');
    expect(first.body).toContain('/cie"><button'); // "Riprova" still offered

    const second = await postTamperedAssertion(flow, pinPages[1]!);
    expect(second.status).toBe(400);
    expect(second.body).toContain('data-code="invalid_signature"');
    expect(second.body).toContain('Hai esaurito i tentativi per questo accesso: ricomincia dal sito del servizio.');
    expect(second.body).not.toContain('/cie"><button');

    const third = await postTamperedAssertion(flow, pinPages[2]!);
    expectTooMany(third, 'too_many_failures', /Troppi tentativi di accesso con la CIE non sono riusciti\. Per sicurezza ricomincia l’accesso dal sito del servizio\./);

    expectTooMany(await flow.clickEntraConCie(loginPage), 'too_many_failures', /Troppi tentativi di accesso con la CIE non sono riusciti/);

    // Another interaction in the same browser still gets its challenge and can sign in.
    const other = new CardLoginFlow(stack);
    const consent = await other.forwardAssertion(await other.enterPin(await other.clickEntraConCie(await other.openLoginPage()), DEMO_PIN));
    expect(consent.status).toBe(200);
    expect(consent.body).toContain('action="/interaction/');
  });

  test('per client address (X-Forwarded-For, as TRUST_PROXY is set): the 21st card request is a 429; other addresses are unaffected', async () => {
    const post = (ip: string, accept = 'text/html') =>
      fetch(`${stack.issuer}/cie/assertion`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip, 'accept-language': 'it', accept },
        body: 'assertion=not-an-assertion',
      });
    const seen = await inOneMinute(async (attempt) => {
      const [client, neighbour] = [`203.0.113.${7 + 2 * attempt}`, `203.0.113.${8 + 2 * attempt}`];
      const allowed: number[] = [];
      for (let i = 0; i < 20; i += 1) allowed.push((await post(client)).status);
      const refused = await post(client);
      const page = { status: refused.status, retryAfter: Number(refused.headers.get('retry-after')), text: await refused.text() };
      const json = await post(client, 'application/json');
      const jsonAnswer = { status: json.status, body: await json.json() };
      const neighbourStatus = (await post(neighbour)).status;
      // An IPv6 client is counted by its /64.
      const allowedV6: number[] = [];
      for (let i = 0; i < 20; i += 1) allowedV6.push((await post(`2001:db8:${attempt + 1}:2::1`)).status);
      const sameSixtyFour = (await post(`2001:db8:${attempt + 1}:2::99`)).status;
      const otherSixtyFour = (await post(`2001:db8:${attempt + 1}:3::1`)).status;
      return { allowed, page, jsonAnswer, neighbourStatus, allowedV6, sameSixtyFour, otherSixtyFour };
    });
    expect(seen.allowed).toEqual(Array(20).fill(400));
    expect(seen.page.status).toBe(429);
    expect(seen.page.retryAfter).toBeGreaterThan(0);
    expect(seen.page.retryAfter).toBeLessThanOrEqual(60);
    expect(seen.page.text).toContain('data-code="too_many_requests"');
    expect(seen.page.text).toContain('Dalla tua rete sono arrivate troppe richieste di accesso. Attendi un minuto e riprova.');
    expect(seen.jsonAnswer).toEqual({ status: 429, body: { error: 'too_many_requests', error_description: 'Dalla tua rete sono arrivate troppe richieste di accesso. Attendi un minuto e riprova.' } });
    expect(seen.neighbourStatus).toBe(400);
    expect(seen.allowedV6).toEqual(Array(20).fill(400));
    expect(seen.sameSixtyFour).toBe(429);
    expect(seen.otherSixtyFour).toBe(400);
  });

  test('every spelling the router matches is counted: /CIE/assertion, /cie/assertion/, /account/CIE, /account/cie/, /interaction/:uid/CIE', async () => {
    const loginPage = await new CardLoginFlow(stack).openLoginPage();
    const uid = /\/interaction\/([^/?#]+)$/.exec(loginPage.url)![1]!;
    const spellings = [
      '/CIE/assertion', '/cie/assertion/', '/Cie/Assertion/', '/CIE/ASSERTION',
      '/account/CIE', '/account/cie/', '/ACCOUNT/Cie',
      `/interaction/${uid}/CIE`, `/interaction/${uid}/cie/`,
    ];
    const post = (path: string, ip: string) => fetch(`${stack.issuer}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip },
      body: 'assertion=not-an-assertion',
    });
    const seen = await inOneMinute(async (attempt) => {
      const ip = `198.51.100.${1 + attempt}`;
      const counted: number[] = [];
      for (let i = 0; i < 20; i += 1) counted.push((await post(spellings[i % spellings.length]!, ip)).status);
      const limited: { path: string; status: number }[] = [];
      for (const path of spellings) limited.push({ path, status: (await post(path, ip)).status });
      return { counted, limited };
    });
    // 20 requests from one address, none of them spelt the canonical way: each is matched by the
    // router (a refused assertion, a challenge's redirect, an interaction without its cookie)…
    for (const status of seen.counted) expect([400, 303]).toContain(status);
    // …and counted, so the limit now holds under every spelling.
    expect(seen.limited).toEqual(spellings.map((path) => ({ path, status: 429 })));
  });
});

describe('card limits while storage is down', () => {
  let stack: AccountStack;

  beforeAll(async () => {
    stack = await startAccountStack();
  }, 120_000);
  afterAll(async () => {
    stack?.setStateStoreDown(false);
    await stack?.dispose();
  });

  test('requests that fail because storage is down answer 503 and use up no attempts', async () => {
    const flow = new CardLoginFlow(stack);
    const loginPage = await flow.openLoginPage();
    stack.setStateStoreDown(true);
    for (let i = 0; i < 12; i += 1) {
      const during = await flow.clickEntraConCie(loginPage);
      expect(during.status).toBe(503);
      expect(during.headers.get('retry-after')).toBe('5');
    }
    stack.setStateStoreDown(false);
    // The default allows 10 challenges per interaction: all of them are still there.
    for (let i = 0; i < 10; i += 1) expect((await flow.clickEntraConCie(loginPage)).url.startsWith(stack.bridge.url)).toBe(true);
    expect((await flow.clickEntraConCie(loginPage)).status).toBe(429);
  });
});
