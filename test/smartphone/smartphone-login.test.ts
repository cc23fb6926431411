import { ACR } from '../../src/oidc/acr.js';
import { openAppSession, signAndPost, signInWithApp } from '../../src/simulator/app/app-client.js';
import { DEMO_HOLDER, DEMO_PIN } from '../../src/simulator/demo-environment.js';
import { CardLoginFlow } from '../support/card-login-flow.js';
import { startTestStack, type TestStack } from '../support/local-stack.js';
import { decodeHtml, formIn, type BrowserResponse } from '../support/test-browser.js';
import { phoneReader as readerOf, qrLinkOf, startSmartphone as startSmartphoneOn } from './support/phone-login.js';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);

afterAll(async () => {
  await stack?.dispose();
}, 60_000);

const FISCAL_NUMBER = 'https://attributes.eid.gov.it/fiscal_number';
const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

const startSmartphone = (flow: CardLoginFlow, page: BrowserResponse, fields: Record<string, string> = {}) => startSmartphoneOn(flow.browser, stack.issuer, page, fields);
const phoneReader = () => readerOf(stack);

/** The desktop page's event stream, read as the page's EventSource would (the browser's own cookie), until `until` arrives. */
async function streamUntil(flow: CardLoginFlow, sessionPage: BrowserResponse, until: string, whileOpen: () => Promise<void>): Promise<string[]> {
  const url = `${new URL(sessionPage.url).origin}${new URL(sessionPage.url).pathname}/events`;
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', cookie: await flow.browser.jar.getCookieString(url) }, signal: controller.signal });
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const states: string[] = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let action: Promise<void> | undefined;
  let failure: unknown;
  try {
    while (!states.includes(until)) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      for (const match of buffer.matchAll(/event: state\ndata: (.*)\n\n/g)) {
        const state = (JSON.parse(match[1]!) as { state: string }).state;
        if (!states.includes(state)) states.push(state);
      }
      // The app acts once the page is listening (the first event arrived).
      // A failing app ends the stream at once, so the test reports the app's error rather than a timeout.
      if (!action && states.length > 0) action = whileOpen().catch((error: unknown) => {
        failure = error;
        controller.abort();
      });
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    controller.abort();
  }
  await action;
  if (failure) throw failure;
  return states;
}

test('the login page offers "Prosegui con computer" and "Prosegui con smartphone"; a phone gets the smartphone first', async () => {
  const flow = new CardLoginFlow(stack);
  const desktop = await flow.openLoginPage();
  expect(desktop.body).toContain('Prosegui con computer');
  expect(desktop.body).toContain('id="prosegui-con-smartphone"');
  expect(desktop.body.indexOf('id="entra-con-cie"')).toBeLessThan(desktop.body.indexOf('id="prosegui-con-smartphone"'));
  const onPhone = await fetch(desktop.url, { headers: { 'user-agent': IPHONE, cookie: await flow.browser.jar.getCookieString(desktop.url) } });
  const body = await onPhone.text();
  expect(body.indexOf('id="prosegui-con-smartphone"')).toBeGreaterThan(0);
  expect(body.indexOf('id="prosegui-con-smartphone"')).toBeLessThan(body.indexOf('id="entra-con-cie"'));
});

test('desktop + smartphone: QR and typed code, the steps pushed to the page, the OTP into consent, then code → tokens with openid-client', async () => {
  const flow = new CardLoginFlow(stack);
  const page = await startSmartphone(flow, await flow.openLoginPage());
  expect(page.status).toBe(200);
  expect(page.url).toMatch(/\/smartphone\/session\/[A-Za-z0-9_-]{43}\?lang=it$/);
  expect(page.body).toMatch(/<svg role="img" aria-label="Codice QR per l’app CieID"/);
  expect(page.body).toMatch(/id="typed-code" translate="no">[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}</);
  expect(page.body).toContain('role="status" aria-live="polite" data-state="waiting_for_app"');
  expect(page.body).toContain('/assets/smartphone/session-events.js');
  expect(page.headers.get('content-security-policy')).toContain("connect-src 'self'");
  const qrLink = qrLinkOf(page);
  expect(qrLink).toMatch(new RegExp(`^${stack.issuer}/smartphone/qr#[A-Za-z0-9_-]{43}$`));

  let otp = '';
  const states = await streamUntil(flow, page, 'assertion_verified', async () => {
    const outcome = await signInWithApp({ entry: { qrLink }, reader: await phoneReader(), askPin: async (shown) => (shown.requester === 'Comune di Esempio' ? DEMO_PIN : undefined) });
    if (outcome.mode === 'cross_device') otp = outcome.otp;
  });
  expect(states).toEqual(['waiting_for_app', 'app_opened', 'assertion_verified']);
  expect(otp).toMatch(/^\d{6}$/);

  // A wrong code first: the page again, with the message, and the session still waits for the right one.
  const { action } = formIn(page.body, { action: /\/otp$/ });
  const wrong = await flow.browser.post(new URL(action, stack.issuer).href, { otp: otp === '000000' ? '111111' : '000000' }, stack.issuer);
  expect(wrong.status).toBe(400);
  expect(wrong.body).toContain('Codice errato');
  expect(wrong.body).toContain('aria-invalid="true"');

  const consent = await flow.browser.post(new URL(action, stack.issuer).href, { otp }, stack.issuer);
  expect(consent.status).toBe(200);
  expect(consent.url).toMatch(/\/interaction\/[^/]+\/cie\/complete\?ticket=/);
  expect(consent.body).toContain(DEMO_HOLDER.fiscalCode);
  const callback = await flow.allowConsent(consent);
  expect(callback.url.startsWith(stack.rp.redirectUri)).toBe(true);
  const { idToken, userinfo } = await flow.finish(callback);
  expect(idToken.acr).toBe(ACR.L3);
  expect(idToken.amr).toEqual(['sc', 'pin', 'mfa']);
  expect(userinfo[FISCAL_NUMBER]).toBe(`TINIT-${DEMO_HOLDER.fiscalCode}`);
}, 60_000);

test('the smartphone alone: the page links to the app, the app hands back to the same browser, which goes on to consent', async () => {
  const flow = new CardLoginFlow(stack);
  const login = await flow.openLoginPage();
  const page = await startSmartphone(flow, login, { mode: 'same_device' });
  expect(page.status).toBe(200);
  const link = decodeHtml(/href="([^"]+)" id="open-app"/.exec(page.body)![1]!);
  expect(link).toMatch(new RegExp(`^${stack.issuer}/smartphone/qr#[A-Za-z0-9_-]{43}$`));
  const outcome = await signInWithApp({ entry: { qrLink: link }, reader: await phoneReader(), askPin: async () => DEMO_PIN });
  if (outcome.mode !== 'same_device') throw new Error('expected a hand-back');
  // Another browser that learned the link gets a page saying so, not the sign-in.
  const stranger = await new CardLoginFlow(stack).browser.get(outcome.handBackUrl);
  expect(stranger.status).toBe(403);
  expect(stranger.body).toContain('data-code="not_this_session"');
  const consent = await flow.browser.get(outcome.handBackUrl);
  expect(consent.status).toBe(200);
  expect(consent.url).toMatch(/\/interaction\/[^/]+\/cie\/complete\?ticket=/);
  expect(consent.body).toContain(DEMO_HOLDER.fiscalCode);
}, 60_000);

test('a camera without the app lands on a page that says to use the CieID app', async () => {
  const answer = await new CardLoginFlow(stack).browser.get(`${stack.issuer}/smartphone/qr`);
  expect(answer.status).toBe(200);
  expect(answer.body).toContain('app CieID');
});

test('cancel on the desktop page: the failure page with "Riprova" (the smartphone again) and the way back to the service', async () => {
  const flow = new CardLoginFlow(stack);
  const page = await startSmartphone(flow, await flow.openLoginPage());
  const { action } = formIn(page.body, { action: /\/cancel$/ });
  const cancelled = await flow.browser.post(new URL(action, stack.issuer).href, {}, stack.issuer);
  expect(cancelled.body).toContain('data-code="cancelled"');
  const uid = /\/interaction\/([^/]+)\/abort/.exec(cancelled.body)![1]!;
  expect(cancelled.body).toContain(`action="/interaction/${uid}/smartphone"`);
  // The app can no longer use the QR's session, and the page itself says why.
  await expect(openAppSession({ qrLink: qrLinkOf(page) })).rejects.toMatchObject({ code: 'provider_refused', details: { error: 'wrong_state' } });
  const again = await flow.browser.get(page.url);
  expect(again.body).toContain('data-code="cancelled"');
  // "Riprova" starts a new smartphone session for the same interaction.
  const retried = await flow.browser.post(`${stack.issuer}/interaction/${uid}/smartphone`, {}, stack.issuer);
  expect(retried.url).toMatch(/\/smartphone\/session\//);
  expect(retried.url).not.toBe(page.url);
});

test('a card number typed on the desktop must be the card the phone reads', async () => {
  const flow = new CardLoginFlow(stack);
  const page = await startSmartphone(flow, await flow.openLoginPage(), { card_number: 'CA99999ZZ' });
  const opened = await openAppSession({ qrLink: qrLinkOf(page) });
  await expect(signAndPost(opened, DEMO_PIN, await phoneReader())).rejects.toMatchObject({ details: { error: 'card_mismatch' } });
  const after = await flow.browser.get(page.url);
  expect(after.body).toContain('data-code="card_mismatch"');
}, 60_000);

test('a card number typed in the wrong shape is refused with a message saying the right one, not ignored', async () => {
  const flow = new CardLoginFlow(stack);
  const refused = await startSmartphone(flow, await flow.openLoginPage(), { card_number: 'CA123' });
  expect(refused.status).toBe(400);
  expect(refused.body).toContain('data-code="card_number_invalid"');
  expect(refused.body).toContain('CA00000AA');
  // "Riprova": this method again for the same interaction; no session was started for the wrong number.
  const uid = /\/interaction\/([^/]+)\/abort/.exec(refused.body)![1]!;
  expect(refused.body).toContain(`action="/interaction/${uid}/smartphone"`);
  expect(refused.url).not.toMatch(/\/smartphone\/session\//);
  // Spaces and lower case are forgiven: a well-formed number starts the session bound to that card.
  const other = new CardLoginFlow(stack);
  const started = await startSmartphone(other, await other.openLoginPage(), { card_number: 'ca 00000 aa' });
  expect(started.url).toMatch(/\/smartphone\/session\//);
});
