import { windowAt } from '../../src/storage/state/fixed-window.js';
import { DEMO_PIN } from '../../src/simulator/demo-environment.js';
import { startAccountStack, type AccountStack } from '../account/support/account-stack.js';
import { CardLoginFlow } from '../support/card-login-flow.js';
import { startTestStack, type TestStack } from '../support/local-stack.js';
import { formIn, type BrowserResponse } from '../support/test-browser.js';

/** Waits for the next window when the current one ends within `marginSeconds` (a new window resets the counts). */
async function awayFromWindowEdge(windowSeconds: number, marginSeconds: number): Promise<void> {
  const { secondsLeft } = windowAt(Date.now(), windowSeconds);
  if (secondsLeft <= marginSeconds) await new Promise((resolve) => setTimeout(resolve, secondsLeft * 1000 + 50));
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
    await awayFromWindowEdge(60, 10);
    const post = (ip: string, accept = 'text/html') =>
      fetch(`${stack.issuer}/cie/assertion`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': ip, 'accept-language': 'it', accept },
        body: 'assertion=not-an-assertion',
      });
    for (let i = 0; i < 20; i += 1) expect((await post('203.0.113.7')).status).toBe(400);
    const refused = await post('203.0.113.7');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    const page = await refused.text();
    expect(page).toContain('data-code="too_many_requests"');
    expect(page).toContain('Dalla tua rete sono arrivate troppe richieste di accesso con la CIE. Attendi un minuto e riprova.');

    const json = await post('203.0.113.7', 'application/json');
    expect(json.status).toBe(429);
    expect(await json.json()).toEqual({ error: 'too_many_requests', error_description: 'Dalla tua rete sono arrivate troppe richieste di accesso con la CIE. Attendi un minuto e riprova.' });

    expect((await post('203.0.113.8')).status).toBe(400);
    // An IPv6 client is counted by its /64.
    for (let i = 0; i < 20; i += 1) expect((await post('2001:db8:1:2::1')).status).toBe(400);
    expect((await post('2001:db8:1:2::99')).status).toBe(429);
    expect((await post('2001:db8:1:3::1')).status).toBe(400);
  });

  test('every spelling the router matches is counted: /CIE/assertion, /cie/assertion/, /account/CIE, /account/cie/, /interaction/:uid/CIE', async () => {
    await awayFromWindowEdge(60, 15);
    const loginPage = await new CardLoginFlow(stack).openLoginPage();
    const uid = /\/interaction\/([^/?#]+)$/.exec(loginPage.url)![1]!;
    const spellings = [
      '/CIE/assertion', '/cie/assertion/', '/Cie/Assertion/', '/CIE/ASSERTION',
      '/account/CIE', '/account/cie/', '/ACCOUNT/Cie',
      `/interaction/${uid}/CIE`, `/interaction/${uid}/cie/`,
    ];
    const post = (path: string) => fetch(`${stack.issuer}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': '198.51.100.1' },
      body: 'assertion=not-an-assertion',
    });
    // 20 requests from one address, none of them spelt the canonical way: each is matched by the
    // router (a refused assertion, a challenge's redirect, an interaction without its cookie)…
    for (let i = 0; i < 20; i += 1) expect([400, 303]).toContain((await post(spellings[i % spellings.length]!)).status);
    // …and counted, so the limit now holds under every spelling.
    for (const path of spellings) expect({ path, status: (await post(path)).status }).toEqual({ path, status: 429 });
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
