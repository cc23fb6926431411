import { DEMO_HOLDER, DEMO_PIN } from '../../src/simulator/demo-environment.js';
import { appAssertion, appDigest } from '../../src/simulator/app/app-assertion.js';
import { runAppCli } from '../../src/simulator/app/app-cli.js';
import { signInWithApp, type SignInRequestShown } from '../../src/simulator/app/app-client.js';
import { desktopStart, startPhoneStack, type PhoneStack } from './support/phone-stack.js';

let stack: PhoneStack;
beforeAll(async () => {
  stack = await startPhoneStack();
});
afterAll(async () => {
  await stack?.close();
});

/** The desktop page's event stream: every text received, and a wait for a given state. */
async function openStream(sessionId: string, cookie: string, lastEventId?: string) {
  const controller = new AbortController();
  const response = await fetch(`${stack.origin}/smartphone/session/${sessionId}/events`, { headers: { cookie, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) }, signal: controller.signal });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  let text = '';
  const waiters: Array<{ state: string; resolve: () => void }> = [];
  const done = (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        text += decoder.decode(chunk, { stream: true });
        for (const w of waiters) if (text.includes(`"state":"${w.state}"`)) w.resolve();
      }
    } catch {
      // aborted by the test
    }
  })();
  return {
    text: () => text,
    states: () => [...text.matchAll(/id: (\d+)\nevent: state\ndata: \{"state":"([a-z_]+)"/g)].map((m) => `${m[1]}:${m[2]}`),
    waitFor: (state: string) => (text.includes(`"state":"${state}"`) ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ state, resolve }))),
    /** The page goes away (a stream the server ended is already done). */
    close: async () => {
      controller.abort();
      await done;
    },
  };
}

const postJson = (path: string, body: unknown, cookie?: string) =>
  fetch(`${stack.origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) }, body: JSON.stringify(body) });

describe('desktop + smartphone with the CieID-app simulator and the real verifier chain', () => {
  test('QR → app shows who asks → card signs → OTP in the app → typed on the desktop → the waiter gets the citizen at level 3; the page is told each step by SSE', async () => {
    const desktop = await desktopStart(stack);
    expect(desktop.status).toBe(303);
    const page = await (await fetch(`${stack.origin}/smartphone/session/${desktop.sessionId}`, { headers: { cookie: desktop.cookie, accept: 'application/json' } })).json() as { qr_link: string; qr_svg: string; typed_code: string; state: string; mode: string };
    expect(page).toMatchObject({ state: 'waiting_for_app', mode: 'cross_device' });
    expect(page.qr_svg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(page.typed_code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const stream = await openStream(desktop.sessionId, desktop.cookie);
    await stream.waitFor('waiting_for_app');

    const { reader } = await stack.phoneReader();
    const shown: SignInRequestShown[] = [];
    const outcome = await signInWithApp({ entry: { qrLink: page.qr_link }, reader, askPin: async (request) => (shown.push(request), DEMO_PIN) });
    expect(shown).toEqual([{ origin: stack.origin, host: new URL(stack.origin).host, requester: 'Comune di Esempio', level: 3 }]);
    if (outcome.mode !== 'cross_device') throw new Error(`expected an OTP, got ${outcome.mode}`);
    await stream.waitFor('assertion_verified');

    const confirmed = await postJson(`/smartphone/session/${desktop.sessionId}/otp`, { otp: outcome.otp }, desktop.cookie);
    expect(confirmed.status).toBe(200);
    expect(await confirmed.json()).toEqual({ state: 'otp_confirmed', next: '/interaction/uid-phone/smartphone/complete' });
    await stream.waitFor('otp_confirmed');
    expect(stream.states()).toEqual(['1:waiting_for_app', '2:app_opened', '3:assertion_verified', '4:otp_confirmed']);
    await stream.close();
    expect(stack.confirmed.at(-1)).toMatchObject({
      binding: { waiter: 'interaction', id: 'uid-phone' },
      citizen: { method: 'smartphone', fiscalCode: DEMO_HOLDER.fiscalCode, acr: 'https://www.spid.gov.it/SpidL3', amr: ['sc', 'pin', 'mfa'] },
    });
    expect(stack.audit.at(-1)).toMatchObject({ type: 'cie.assertion.accepted' });
  });

  test('the cie-app CLI opens by the typed code and prints the OTP; a reconnecting page gets only what it missed', async () => {
    const desktop = await desktopStart(stack);
    const page = await (await fetch(`${stack.origin}/smartphone/session/${desktop.sessionId}`, { headers: { cookie: desktop.cookie, accept: 'application/json' } })).json() as { typed_code: string };
    const cardPath = await stack.environment.mintCardFile('cli-phone');
    const out: string[] = [];
    const err: string[] = [];
    const pins = [DEMO_PIN];
    const exit = await runAppCli(['sign', '--card', cardPath, '--device-keys', stack.keysPath, '--origin', stack.origin, '--code', page.typed_code], { out: (l) => out.push(l), err: (l) => err.push(l), waitForShutdown: async () => {} }, async () => pins.shift());
    expect({ exit, err: err.filter((l) => !l.startsWith('Comune di Esempio') && l !== 'PIN (8 cifre):') }).toEqual({ exit: 0, err: [] });
    expect(err.join('\n')).toContain('Comune di Esempio (127.0.0.1:');
    expect(out).toEqual([expect.stringMatching(/^OTP: [0-9]{6}$/)]);
    expect(out.join('')).not.toContain(DEMO_PIN);

    const stream = await openStream(desktop.sessionId, desktop.cookie, '2');
    await stream.waitFor('assertion_verified');
    expect(stream.states()).toEqual(['3:assertion_verified']);
    await stream.close();
  });

  test('an app that signs another origin (a relaying phishing site) is refused by the verifier, and the session fails', async () => {
    const desktop = await desktopStart(stack);
    const page = await (await fetch(`${stack.origin}/smartphone/session/${desktop.sessionId}`, { headers: { cookie: desktop.cookie, accept: 'application/json' } })).json() as { qr_link: string };
    const opened = await (await postJson('/smartphone/app/open', { qr: new URL(page.qr_link).hash.slice(1) })).json() as { app_token: string; challenge: string };
    const { reader } = await stack.phoneReader();
    const evil = 'https://entra-con-cie.example.net';
    const { signature, certificate } = await reader.sign(DEMO_PIN, appDigest(evil, opened.challenge));
    const refused = await postJson('/smartphone/app/assertion', { app_token: opened.app_token, assertion: appAssertion({ origin: evil, challenge: opened.challenge, certificate, signature }) });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: 'assertion_refused', retryable: false });
    expect(stack.audit.at(-1)).toMatchObject({ type: 'cie.assertion.rejected', code: 'origin_mismatch' });
    const view = await (await fetch(`${stack.origin}/smartphone/session/${desktop.sessionId}`, { headers: { cookie: desktop.cookie, accept: 'application/json' } })).json() as { state: string };
    expect(view.state).toBe('failed');
  });

  test('on a phone\'s browser the app hands back to the same browser session, which alone can redeem the link', async () => {
    const phoneBrowser = await desktopStart(stack, 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148');
    const page = await (await fetch(`${stack.origin}/smartphone/session/${phoneBrowser.sessionId}`, { headers: { cookie: phoneBrowser.cookie, accept: 'application/json' } })).json() as { qr_link: string; mode: string };
    expect(page.mode).toBe('same_device');
    const { reader } = await stack.phoneReader();
    const outcome = await signInWithApp({ entry: { qrLink: page.qr_link }, reader, askPin: async () => DEMO_PIN });
    if (outcome.mode !== 'same_device') throw new Error('expected a hand-back');
    expect(outcome.handBackUrl.startsWith(`${stack.origin}/smartphone/return/${phoneBrowser.sessionId}?code=`)).toBe(true);
    const stranger = await fetch(outcome.handBackUrl, { redirect: 'manual' });
    expect(stranger.status).toBe(403);
    const back = await fetch(outcome.handBackUrl, { redirect: 'manual', headers: { cookie: phoneBrowser.cookie } });
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe('/interaction/uid-phone/smartphone/complete');
  });

  test('the desktop endpoints need the browser\'s cookie; bad app input gets the typed JSON error in Italian or English', async () => {
    const desktop = await desktopStart(stack);
    const noCookie = await fetch(`${stack.origin}/smartphone/session/${desktop.sessionId}/events`);
    expect(noCookie.status).toBe(403);
    expect(await noCookie.json()).toMatchObject({ error: 'not_this_session', retryable: false });
    const garbage = await fetch(`${stack.origin}/smartphone/app/open`, { method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': 'en' }, body: '{' });
    expect(garbage.status).toBe(400);
    expect(await garbage.json()).toEqual({ error: 'malformed_request', error_description: 'Invalid request.', retryable: false });
    const unknown = await postJson('/smartphone/app/open', { qr: 'A'.repeat(43) });
    expect(unknown.status).toBe(409);
    expect(await unknown.json()).toMatchObject({ error: 'qr_invalid', error_description: expect.stringContaining('non è più valido') });
    const wrongOtp = await postJson(`/smartphone/session/${desktop.sessionId}/otp`, { otp: '000000' }, desktop.cookie);
    expect(wrongOtp.status).toBe(409);
    expect(await wrongOtp.json()).toMatchObject({ error: 'wrong_state' });
  });
});
