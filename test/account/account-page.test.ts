import { accountIdFor } from '../../src/oidc/accounts.js';
import * as client from 'openid-client';
import { DEMO_HOLDER, DEMO_PIN } from '../../src/simulator/demo-environment.js';
import { CardLoginFlow } from '../support/card-login-flow.js';
import { formIn, type BrowserResponse } from '../support/test-browser.js';
import { startAccountStack, type AccountStack } from './support/account-stack.js';

let stack: AccountStack;
let demoCardPath: string;

beforeAll(async () => {
  stack = await startAccountStack();
  demoCardPath = `${stack.environment.dir}/cards/demo-card.json`;
}, 120_000);

afterAll(async () => {
  await stack?.dispose();
});

afterEach(() => {
  stack.setStateStoreDown(false);
  stack.insertCard(demoCardPath);
});

const OTHER_CITIZEN = { fiscalCode: 'BNCLSU90A41H501D', givenName: 'Luisa', familyName: 'Bianchi', birthDate: '1990-01-01' };
const THIRD_CITIZEN = { fiscalCode: 'VRDGPP80A01H501U', givenName: 'Giuseppe', familyName: 'Verdi', birthDate: '1980-01-01' };

/** The citizen signs in to the RP with the card and ticks offline access: the RP gets a refresh token. */
async function loginWithOfflineAccess(flow: CardLoginFlow) {
  const pinPage = await flow.clickEntraConCie(await flow.openLoginPage('openid profile offline_access'));
  const consent = await flow.forwardAssertion(await flow.enterPin(pinPage, DEMO_PIN));
  const { action, fields } = formIn(consent.body, { action: /\/confirm$/ });
  const callback = await flow.browser.post(new URL(action, stack.issuer).href, { ...fields, offline_access: 'on' }, stack.issuer);
  const { tokens } = await flow.finish(callback);
  expect(tokens.refresh_token).toEqual(expect.any(String));
  return tokens;
}

/** /account → "Entra con CIE" → the bridge's PIN page. */
async function startAccountSignIn(flow: CardLoginFlow): Promise<BrowserResponse> {
  const signInPage = await flow.browser.get(`${stack.issuer}/account`);
  expect(signInPage.body).toContain('I tuoi accessi');
  const { action } = formIn(signInPage.body, { action: /^\/account\/cie$/ });
  const pinPage = await flow.browser.post(new URL(action, stack.issuer).href, {}, stack.issuer);
  expect(pinPage.url.startsWith(stack.bridge.url)).toBe(true);
  return pinPage;
}

/** The whole card sign-in to the account page; answers the page the browser lands on. */
async function signInToAccount(flow: CardLoginFlow): Promise<BrowserResponse> {
  return flow.forwardAssertion(await flow.enterPin(await startAccountSignIn(flow), DEMO_PIN));
}

function withdrawForm(page: BrowserResponse) {
  return formIn(page.body, { action: /^\/account\/withdraw$/ });
}

async function post(flow: CardLoginFlow, path: string, fields: Record<string, string>): Promise<BrowserResponse> {
  return flow.browser.post(`${stack.issuer}${path}`, fields, stack.issuer);
}

async function userinfoStatus(accessToken: string): Promise<number> {
  return (await fetch(`${stack.issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } })).status;
}

/** The payload field the bridge's auto-posted form carries, and where the provider sends the browser next (not followed). */
async function postAssertionWithoutFollowing(forward: BrowserResponse): Promise<string> {
  const { action, fields } = formIn(forward.body, { action: /\/cie\/assertion$/ });
  const response = await fetch(action, { method: 'POST', body: new URLSearchParams(fields), headers: { origin: stack.bridge.url }, redirect: 'manual' });
  expect(response.status).toBe(303);
  return response.headers.get('location')!;
}

test('a citizen sees the RP holding offline access and withdraws it: refresh and access tokens stop working at once', async () => {
  const rpLogin = new CardLoginFlow(stack);
  const first = await loginWithOfflineAccess(rpLogin);
  // Rotation keeps working before the withdrawal; the rotated tokens are the live ones.
  const tokens = await client.refreshTokenGrant(stack.rp.config, first.refresh_token!);
  expect(await userinfoStatus(tokens.access_token)).toBe(200);

  const account = new CardLoginFlow(stack);
  const page = await signInToAccount(account);
  expect(page.status).toBe(200);
  expect(page.url).toBe(`${stack.issuer}/account`);
  expect(page.body).toContain(DEMO_HOLDER.fiscalCode);
  expect(page.body).toContain('Comune di Esempio');
  for (const label of ['Nome', 'Cognome', 'Data di nascita', 'Codice fiscale']) expect(page.body).toContain(label);
  expect(page.body).toContain('Revoca');
  expect(withdrawForm(page).fields.client_id).toBe(stack.rp.clientId);

  // The attributes kept for the offline grant (accounts.ts) go with it.
  const grantIds = await stack.store.setMembers(`offline-grants:${accountIdFor(DEMO_HOLDER.fiscalCode)}`);
  expect(grantIds.length).toBeGreaterThan(0);
  for (const grantId of grantIds) expect(await stack.store.get(`offline-account:${grantId}`)).toMatchObject({ family_name: 'Rossi' });

  const afterWithdrawal = await post(account, '/account/withdraw', withdrawForm(page).fields);
  for (const grantId of grantIds) expect(await stack.store.get(`offline-account:${grantId}`)).toBeUndefined();
  expect(afterWithdrawal.url).toBe(`${stack.issuer}/account?done=withdrawn`);
  expect(afterWithdrawal.body).toContain('data-code="withdrawn"');
  expect(afterWithdrawal.body).toContain('id="no-access"');
  expect(afterWithdrawal.body).not.toContain('Comune di Esempio');

  await expect(client.refreshTokenGrant(stack.rp.config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  expect(await userinfoStatus(tokens.access_token)).toBe(401);
  expect((await client.tokenIntrospection(stack.rp.config, tokens.access_token)).active).toBe(false);

  // The same browser can allow offline access again later: a new grant, listed again.
  const again = await loginWithOfflineAccess(rpLogin);
  expect(await userinfoStatus(again.access_token)).toBe(200);
  expect((await account.browser.get(`${stack.issuer}/account`)).body).toContain('Comune di Esempio');
});

test('a grant the RP itself revoked is dropped from the page and from the index', async () => {
  stack.insertCard(await stack.environment.mintCardFile('third-citizen', THIRD_CITIZEN));
  const indexKey = `offline-grants:TINIT-${THIRD_CITIZEN.fiscalCode}`;
  const tokens = await loginWithOfflineAccess(new CardLoginFlow(stack));
  expect(await stack.store.setMembers(indexKey)).toHaveLength(1);
  await client.tokenRevocation(stack.rp.config, tokens.refresh_token!);
  const page = await signInToAccount(new CardLoginFlow(stack));
  expect(page.body).toContain(THIRD_CITIZEN.fiscalCode);
  expect(page.body).toContain('id="no-access"');
  expect(await stack.store.setMembers(indexKey)).toEqual([]);
});

test('the page is in English on request', async () => {
  const account = new CardLoginFlow(stack);
  const page = await account.browser.get(`${stack.issuer}/account?lang=en`);
  expect(page.body).toContain('<html lang="en">');
  expect(page.body).toContain('Your access');
  expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
  expect(page.headers.get('cache-control')).toBe('no-store');
});

test('another citizen never sees this citizen\'s offline access, and cannot withdraw it', async () => {
  const tokens = await loginWithOfflineAccess(new CardLoginFlow(stack));
  stack.insertCard(await stack.environment.mintCardFile('other-citizen', OTHER_CITIZEN));
  const other = new CardLoginFlow(stack);
  const page = await signInToAccount(other);
  expect(page.body).toContain(OTHER_CITIZEN.fiscalCode);
  expect(page.body).toContain('id="no-access"');
  expect(page.body).not.toContain('Comune di Esempio');

  // A hand-made withdrawal of the RP, with the other citizen's own valid CSRF token, touches nothing of Mario's.
  const { fields } = formIn(page.body, { action: /^\/account\/sign-out$/ });
  const attempt = await post(other, '/account/withdraw', { csrf: fields.csrf!, client_id: stack.rp.clientId });
  expect(attempt.url).toBe(`${stack.issuer}/account`);
  expect(attempt.body).not.toContain('data-code="withdrawn"');
  const refreshed = await client.refreshTokenGrant(stack.rp.config, tokens.refresh_token!);
  expect(await userinfoStatus(refreshed.access_token)).toBe(200);
});

test('a withdrawal without the CSRF token, or with a wrong one, is refused and revokes nothing', async () => {
  const tokens = await loginWithOfflineAccess(new CardLoginFlow(stack));
  const account = new CardLoginFlow(stack);
  const page = await signInToAccount(account);
  const { fields } = withdrawForm(page);
  for (const csrf of [undefined, 'x'.repeat(43), '']) {
    const form: Record<string, string> = { client_id: fields.client_id! };
    if (csrf !== undefined) form.csrf = csrf;
    const refused = await post(account, '/account/withdraw', form);
    expect(refused.status).toBe(403);
    expect(refused.body).toContain('data-code="csrf_invalid"');
  }
  const signOut = await post(account, '/account/sign-out', { csrf: 'wrong' });
  expect(signOut.status).toBe(403);
  const refreshed = await client.refreshTokenGrant(stack.rp.config, tokens.refresh_token!);
  expect(await userinfoStatus(refreshed.access_token)).toBe(200);
  // The real form still works afterwards.
  expect((await post(account, '/account/withdraw', fields)).body).toContain('data-code="withdrawn"');
});

test('signing out ends the session: the page asks for the card again and old forms do nothing', async () => {
  const tokens = await loginWithOfflineAccess(new CardLoginFlow(stack));
  const account = new CardLoginFlow(stack);
  const page = await signInToAccount(account);
  const withdrawal = withdrawForm(page);
  const signedOut = await post(account, '/account/sign-out', formIn(page.body, { action: /^\/account\/sign-out$/ }).fields);
  expect(signedOut.body).toContain('data-code="signed_out"');
  expect(signedOut.body).toContain('action="/account/cie"');
  const replay = await post(account, '/account/withdraw', withdrawal.fields);
  expect(replay.body).toContain('action="/account/cie"');
  expect(replay.body).not.toContain('data-code="withdrawn"');
  await expect(client.refreshTokenGrant(stack.rp.config, tokens.refresh_token!)).resolves.toMatchObject({ access_token: expect.any(String) });
});

test('an expired account session sends the citizen back to the card sign-in', async () => {
  const tokens = await loginWithOfflineAccess(new CardLoginFlow(stack));
  const [reader, withdrawer] = [new CardLoginFlow(stack), new CardLoginFlow(stack)];
  await signInToAccount(reader);
  const page = await signInToAccount(withdrawer);
  stack.advanceStateClock(10 * 60 + 1);
  for (const answer of [await reader.browser.get(`${stack.issuer}/account`), await post(withdrawer, '/account/withdraw', withdrawForm(page).fields)]) {
    expect(answer.body).toContain('data-code="session_expired"');
    expect(answer.body).toContain('action="/account/cie"');
  }
  await expect(client.refreshTokenGrant(stack.rp.config, tokens.refresh_token!)).resolves.toMatchObject({ access_token: expect.any(String) });
});

test('the challenge of an account sign-in cannot finish an OIDC login, and a login\'s cannot open the account page', async () => {
  const flow = new CardLoginFlow(stack);
  const loginPage = await flow.openLoginPage();
  const uid = /\/interaction\/([^/]+)$/.exec(loginPage.url)![1]!;

  // The account sign-in's outcome goes to the account page only; at the interaction it is unknown.
  const accountNext = await postAssertionWithoutFollowing(await flow.enterPin(await startAccountSignIn(flow), DEMO_PIN));
  expect(accountNext).toMatch(/^\/account\/cie\/complete\?ticket=/);
  const accountTicket = new URL(accountNext, stack.issuer).searchParams.get('ticket')!;
  const atInteraction = await flow.browser.get(`${stack.issuer}/interaction/${uid}/cie/complete?ticket=${accountTicket}`);
  expect(atInteraction.body).toContain('data-code="challenge_unknown"');

  // The login's outcome, redeemed at the account page (with a pending account sign-in cookie), is unknown there.
  await startAccountSignIn(flow);
  const loginNext = await postAssertionWithoutFollowing(await flow.enterPin(await flow.clickEntraConCie(loginPage), DEMO_PIN));
  expect(loginNext).toMatch(new RegExp(`^/interaction/${uid}/cie/complete\\?ticket=`));
  const loginTicket = new URL(loginNext, stack.issuer).searchParams.get('ticket')!;
  const atAccount = await flow.browser.get(`${stack.issuer}/account/cie/complete?ticket=${loginTicket}`);
  expect(atAccount.status).toBe(400);
  expect(atAccount.body).toContain('data-code="challenge_unknown"');
  expect((await flow.browser.get(`${stack.issuer}/account`)).body).toContain('action="/account/cie"');
});

test('the redirect carrying an account sign-in’s ticket is never cached', async () => {
  const citizen = new CardLoginFlow(stack);
  const forward = await citizen.enterPin(await startAccountSignIn(citizen), DEMO_PIN);
  const { action, fields } = formIn(forward.body, { action: /\/cie\/assertion$/ });
  const response = await fetch(action, { method: 'POST', body: new URLSearchParams(fields), headers: { origin: stack.bridge.url }, redirect: 'manual' });
  expect(response.headers.get('location')).toMatch(/^\/account\/cie\/complete\?ticket=/);
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(response.headers.get('pragma')).toBe('no-cache');
});

test('an account ticket works only in the browser that started the sign-in', async () => {
  const citizen = new CardLoginFlow(stack);
  const next = await postAssertionWithoutFollowing(await citizen.enterPin(await startAccountSignIn(citizen), DEMO_PIN));
  const elsewhere = await new CardLoginFlow(stack).browser.get(new URL(next, stack.issuer).href);
  expect(elsewhere.status).toBe(400);
  expect(elsewhere.body).toContain('data-code="sign_in_expired"');
  expect(elsewhere.body).not.toContain(DEMO_HOLDER.fiscalCode);
});

test('a sign-in cancelled at the bridge comes back to the account sign-in page', async () => {
  const account = new CardLoginFlow(stack);
  const pinPage = await startAccountSignIn(account);
  const cancel = formIn(pinPage.body, { action: /\/cie\/assertion$/ });
  const answer = await account.browser.post(cancel.action, cancel.fields, stack.bridge.url);
  expect(answer.url).toMatch(/\/account\/cie\/complete\?ticket=/);
  expect(answer.body).toContain('data-code="cancelled"');
  expect(answer.body).toContain('action="/account/cie"');
});

/** A cancel posted by another browser that knows only the challenge (from a URL, a log, a shoulder). */
async function foreignCancel(pinPage: BrowserResponse) {
  const { action, fields } = formIn(pinPage.body, { action: /\/cie\/assertion$/ });
  expect(fields.error).toBe('cancelled');
  const outsider = new CardLoginFlow(stack);
  return outsider.browser.post(action, fields, stack.bridge.url);
}

test('a cancel posted without the account sign-in’s cookie does not end it: the citizen still signs in', async () => {
  const citizen = new CardLoginFlow(stack);
  const pinPage = await startAccountSignIn(citizen);
  const outsider = await foreignCancel(pinPage);
  expect(outsider.status).toBe(400);
  expect(outsider.body).toContain('data-code="sign_in_expired"');
  const page = await citizen.forwardAssertion(await citizen.enterPin(pinPage, DEMO_PIN));
  expect(page.url).toBe(`${stack.issuer}/account`);
  expect(page.body).toContain(DEMO_HOLDER.fiscalCode);
});

test('a cancel posted without the interaction’s cookie does not end the login; the citizen’s own cancel does', async () => {
  const citizen = new CardLoginFlow(stack);
  const loginPage = await citizen.openLoginPage();
  const pinPage = await citizen.clickEntraConCie(loginPage);
  const outsider = await foreignCancel(pinPage);
  expect(outsider.body).toContain('data-code="session_expired"');
  const consent = await citizen.forwardAssertion(await citizen.enterPin(pinPage, DEMO_PIN));
  expect(consent.status).toBe(200);
  expect(consent.body).toMatch(/action="\/interaction\/[^/]+\/confirm"/);

  // The citizen's own cancel, redeemed with the interaction's cookie, ends that challenge.
  const other = new CardLoginFlow(stack);
  const otherPin = await other.clickEntraConCie(await other.openLoginPage());
  const cancel = formIn(otherPin.body, { action: /\/cie\/assertion$/ });
  expect((await other.browser.post(cancel.action, cancel.fields, stack.bridge.url)).body).toContain('data-code="cancelled"');
  const late = await other.forwardAssertion(await other.enterPin(otherPin, DEMO_PIN));
  expect(late.body).toContain('data-code="challenge_not_found"');
});

test('while the state storage is down the account page answers 503 with the outage page', async () => {
  const account = new CardLoginFlow(stack);
  const page = await signInToAccount(account);
  stack.setStateStoreDown(true);
  const { csrf } = formIn(page.body, { action: /^\/account\/sign-out$/ }).fields;
  for (const answer of [await account.browser.get(`${stack.issuer}/account`), await post(account, '/account/withdraw', { csrf: csrf!, client_id: stack.rp.clientId })]) {
    expect(answer.status).toBe(503);
    expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(answer.headers.get('content-type')).toContain('text/html');
    expect(answer.body).toContain('data-code="temporarily_unavailable"');
  }
});
