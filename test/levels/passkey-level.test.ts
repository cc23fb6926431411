import { ACR } from '../../src/oidc/acr.js';
import { decodeHtml, formIn, TestBrowser } from '../support/test-browser.js';
import { SoftwareAuthenticator } from '../credentials/support/software-authenticator.js';
import { CITIZEN, consentAndTokens, loginPage, startLevelsStack, type LevelsStack } from './support/levels-stack.js';

let levels: LevelsStack;
const authenticator = new SoftwareAuthenticator();
beforeAll(async () => {
  levels = await startLevelsStack({ limits: { passkeyCeremoniesPerNetwork: 8 } });
  await levels.activate();
  // Enrolled as the account page does, right after a card sign-in.
  const proof = { fiscalCode: CITIZEN.fiscalCode, acr: ACR.L3, claims: CITIZEN.claims };
  const { ceremonyId, options } = await levels.credentials.passkeys.registrationOptions(proof);
  await levels.credentials.passkeys.register(proof, ceremonyId, authenticator.create(options, at()), 'test');
}, 180_000);
afterAll(async () => levels?.close());

const origin = () => levels.stack.issuer;
const at = () => ({ origin: levels.stack.issuer, rpId: new URL(levels.stack.issuer).hostname });

/** The passkey page of a new login: the ceremony's form and the options our script would hand the authenticator. */
async function passkeyPage(acrValues = `${ACR.L2} ${ACR.L1}`) {
  const login = await loginPage(levels, acrValues);
  const page = await login.browser.post(`${origin()}/interaction/${login.uid}/passkey`, {}, origin());
  expect(page.status).toBe(200);
  expect(page.body).toContain('<script src="/assets/sign-in/webauthn.js"></script>');
  const options = JSON.parse(decodeHtml(/data-webauthn-options="([^"]*)"/.exec(page.body)![1]!)) as { challenge: string; userVerification: string; rpId: string };
  const { action } = formIn(page.body, { action: /^\/sign-in\/passkey\// });
  return { ...login, options, action };
}

test('level 2 by a passkey alone: user verification asked, the ID token says SpidL2 and hwk user mfa', async () => {
  const { browser, pending, options, action } = await passkeyPage();
  expect(options.userVerification).toBe('required');
  expect(options.rpId).toBe(at().rpId);
  const consent = await browser.post(new URL(action, origin()).href, { response: JSON.stringify(authenticator.get(options.challenge, at())) }, origin());
  expect(consent.body).toContain('/confirm"');
  const { idToken, userinfo } = await consentAndTokens(levels, browser, consent, pending);
  expect(idToken.acr).toBe(ACR.L2);
  expect(idToken.amr).toEqual(['hwk', 'user', 'mfa']);
  expect(userinfo.family_name).toBe('Rossi');
});

test('refused: without user verification, from another origin, a replayed assertion, a cancelled ceremony — each the waiter\'s failure page', async () => {
  const cases: ((challenge: string) => string)[] = [
    (challenge) => JSON.stringify(authenticator.get(challenge, { ...at(), userVerified: false })),
    (challenge) => JSON.stringify(authenticator.get(challenge, { ...at(), origin: 'https://evil.example' })),
    () => '',
  ];
  for (const response of cases) {
    const { browser, options, action } = await passkeyPage();
    const failed = await browser.post(new URL(action, origin()).href, { response: response(options.challenge) }, origin());
    expect(failed.status).toBe(400);
    expect(failed.body).toContain('data-code="passkey_refused"');
  }
  // A replay: the same answer posted twice; the ceremony is single use, and its answer against another ceremony is refused.
  const first = await passkeyPage();
  const assertion = JSON.stringify(authenticator.get(first.options.challenge, at()));
  await first.browser.post(new URL(first.action, origin()).href, { response: assertion }, origin());
  const again = await first.browser.post(new URL(first.action, origin()).href, { response: assertion }, origin());
  expect(again.body).toContain('data-code="challenge_unknown"');
  const other = await passkeyPage();
  const replayed = await other.browser.post(new URL(other.action, origin()).href, { response: assertion }, origin());
  expect(replayed.body).toContain('data-code="passkey_refused"');
});

test('a level-3 request cannot start a passkey; the ceremony page is refused to another browser', async () => {
  const { browser, uid } = await loginPage(levels, ACR.L3);
  const refused = await browser.post(`${origin()}/interaction/${uid}/passkey`, {}, origin());
  expect(refused.body).toContain('data-code="wrong_prompt"');
  const { action } = await passkeyPage();
  const stranger = await new TestBrowser().get(new URL(action, origin()).href);
  expect(stranger.body).toContain('data-code="challenge_unknown"');
});

test('passkey ceremonies are limited per client network before a challenge is stored (429 with Retry-After)', async () => {
  let answer;
  for (let started = 0; started < 10; started += 1) {
    const { browser, uid } = await loginPage(levels, ACR.L2);
    answer = await browser.post(`${origin()}/interaction/${uid}/passkey`, {}, origin());
    if (answer.status === 429) break;
  }
  expect(answer!.status).toBe(429);
  expect(answer!.body).toContain('data-code="too_many_passkey_ceremonies"');
  expect(Number(answer!.headers.get('retry-after'))).toBeGreaterThan(0);
});
