import { ACR } from '../../src/oidc/acr.js';
import { DEMO_HOLDER, DEMO_PIN } from '../../src/simulator/demo-environment.js';
import { CardLoginFlow } from '../support/card-login-flow.js';
import { startTestStack, type TestStack } from '../support/local-stack.js';
import { decodeHtml, formIn } from '../support/test-browser.js';

let stack: TestStack;
let demoCardPath: string;

beforeAll(async () => {
  stack = await startTestStack();
  demoCardPath = `${stack.environment.dir}/cards/demo-card.json`;
}, 120_000);

afterAll(async () => {
  await stack?.dispose();
});

const FISCAL_NUMBER = 'https://attributes.eid.gov.it/fiscal_number';

test('a citizen signs in with the card: level 3, fiscal number, signed+encrypted userinfo', async () => {
  const flow = new CardLoginFlow(stack);
  const loginPage = await flow.openLoginPage();
  expect(loginPage.status).toBe(200);
  expect(loginPage.body).toContain('entra_con_cie.svg');
  expect(loginPage.body).toContain('Comune di Esempio');

  const pinPage = await flow.clickEntraConCie(loginPage);
  expect(pinPage.url.startsWith(stack.bridge.url)).toBe(true);
  expect(decodeHtml(pinPage.body)).toContain(stack.issuer); // the bridge names the site that asks

  const forward = await flow.enterPin(pinPage, DEMO_PIN);
  expect(forward.status).toBe(200);
  expect(forward.body).not.toContain(DEMO_PIN);

  const consent = await flow.forwardAssertion(forward);
  expect(/data-code="([^"]+)"/.exec(consent.body)?.[1]).toBeUndefined();
  expect(consent.status).toBe(200);
  expect(consent.url).toMatch(/\/interaction\/[^/]+\/cie\/complete\?ticket=/);
  // The consent page lists exactly what will be released: profile + email scopes.
  for (const label of ['Nome', 'Cognome', 'Data di nascita', 'Codice fiscale', 'Indirizzo e-mail']) expect(consent.body).toContain(label);
  expect(consent.body).not.toContain('Luogo di nascita');
  expect(consent.body).toContain(DEMO_HOLDER.fiscalCode);

  const callback = await flow.allowConsent(consent);
  expect(callback.url.startsWith(stack.rp.redirectUri)).toBe(true);
  const { idToken, userinfo } = await flow.finish(callback);
  expect(idToken.acr).toBe(ACR.L3);
  expect(idToken.amr).toEqual(['sc', 'pin', 'mfa']);
  expect(idToken[FISCAL_NUMBER]).toBe(`TINIT-${DEMO_HOLDER.fiscalCode}`);
  expect(userinfo[FISCAL_NUMBER]).toBe(`TINIT-${DEMO_HOLDER.fiscalCode}`);
  expect(userinfo.given_name).toBe('Mario');
  expect(userinfo.family_name).toBe('Rossi');
  expect(userinfo.birthdate).toBe(DEMO_HOLDER.birthDate);
  expect(userinfo.email).toBe(DEMO_HOLDER.email);
  // Pairwise subject: not the fiscal code, not the account id.
  expect(idToken.sub).not.toContain(DEMO_HOLDER.fiscalCode);
  expect(stack.audit).toContainEqual(expect.objectContaining({ type: 'cie.assertion.accepted' }));
});

test('a wrong PIN shows the tries left; the third blocks the PIN and says to use the PUK', async () => {
  stack.insertCard(await stack.environment.mintCardFile('wrong-pin'));
  try {
    const flow = new CardLoginFlow(stack);
    let page = await flow.clickEntraConCie(await flow.openLoginPage());
    page = await flow.enterPin(page, '11111111');
    expect(page.body).toContain('Ti restano 2 tentativi');
    page = await flow.enterPin(page, '11111111');
    expect(page.body).toContain('Ti resta 1 tentativo');
    page = await flow.enterPin(page, '11111111');
    expect(page.body).toContain('data-code="pin_blocked"');
    expect(page.body).toContain('PUK');
    // Blocked now: even the right PIN is refused by the card.
    const retry = await flow.enterPin(await flow.clickEntraConCie(await flow.openLoginPage()), DEMO_PIN);
    expect(retry.body).toContain('data-code="pin_blocked"');
  } finally {
    stack.insertCard(demoCardPath);
  }
});

test('a replayed assertion is refused: the challenge is single use', async () => {
  const flow = new CardLoginFlow(stack);
  const forward = await flow.enterPin(await flow.clickEntraConCie(await flow.openLoginPage()), DEMO_PIN);
  const { action, fields } = formIn(forward.body, { action: /\/cie\/assertion$/ });
  const first = await flow.forwardAssertion(forward);
  expect(first.status).toBe(200);
  const replay = await flow.browser.post(action, fields, stack.bridge.url);
  expect(replay.status).toBe(400);
  expect(replay.body).toContain('data-code="challenge_not_found"');
});

test('an assertion made for another origin is refused', async () => {
  const flow = new CardLoginFlow(stack);
  const forward = await flow.enterPin(await flow.clickEntraConCie(await flow.openLoginPage()), DEMO_PIN);
  const { action, fields } = formIn(forward.body, { action: /\/cie\/assertion$/ });
  const tampered = JSON.parse(fields.assertion!);
  tampered.origin = 'https://evil.example';
  const result = await flow.browser.post(action, { assertion: JSON.stringify(tampered) }, stack.bridge.url);
  expect(result.body).toContain('data-code="origin_mismatch"');
  expect(result.url).toMatch(/\/interaction\/[^/]+\/cie\/complete/);
});

test('a tampered signature is refused', async () => {
  const flow = new CardLoginFlow(stack);
  const forward = await flow.enterPin(await flow.clickEntraConCie(await flow.openLoginPage()), DEMO_PIN);
  const { action, fields } = formIn(forward.body, { action: /\/cie\/assertion$/ });
  const tampered = JSON.parse(fields.assertion!);
  const signature = Buffer.from(tampered.signature, 'base64url');
  signature.writeUInt8(signature.readUInt8(10) ^ 0x01, 10);
  tampered.signature = signature.toString('base64url');
  const result = await flow.browser.post(action, { assertion: JSON.stringify(tampered) }, stack.bridge.url);
  expect(result.body).toContain('data-code="invalid_signature"');
  expect(stack.audit).toContainEqual(expect.objectContaining({ type: 'cie.assertion.rejected', code: 'invalid_signature' }));
});


describe('bad input gets a clear answer, never a crash', () => {
  test('a malformed assertion is a 400 page with its code', async () => {
    const browser = new CardLoginFlow(stack).browser;
    const answer = await browser.post(`${stack.issuer}/cie/assertion`, { assertion: '{not json' }, stack.bridge.url);
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('data-code="malformed_assertion"');
  });

  test('an oversized assertion body is refused with 413', async () => {
    const browser = new CardLoginFlow(stack).browser;
    const answer = await browser.post(`${stack.issuer}/cie/assertion`, { assertion: 'x'.repeat(40_000) }, stack.bridge.url);
    expect(answer.status).toBe(413);
  });

  test('an unknown interaction says the session expired', async () => {
    const answer = await new CardLoginFlow(stack).browser.get(`${stack.issuer}/interaction/unknown-uid`);
    expect(answer.status).toBe(400);
    expect(answer.body).toContain('data-code="session_expired"');
  });

  test('an authorization request without a request object is refused on our page, not redirected', async () => {
    const url = new URL('/auth', stack.issuer);
    url.search = new URLSearchParams({ client_id: stack.rp.clientId, response_type: 'code', scope: 'openid', redirect_uri: 'https://evil.example/cb' }).toString();
    const answer = await new CardLoginFlow(stack).browser.get(url.href);
    expect(answer.status).toBe(400);
    expect(answer.url.startsWith(stack.issuer)).toBe(true);
  });

  test('a cancelled login at the bridge comes back as a clear page with a retry', async () => {
    const flow = new CardLoginFlow(stack);
    const pinPage = await flow.clickEntraConCie(await flow.openLoginPage());
    const cancel = formIn(pinPage.body, { action: /\/cie\/assertion$/ });
    const answer = await flow.browser.post(cancel.action, cancel.fields, stack.bridge.url);
    expect(answer.body).toContain('data-code="cancelled"');
    expect(answer.body).toMatch(/action="\/interaction\/[^/]+\/cie"/);
  });
});
