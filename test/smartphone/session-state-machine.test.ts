import { BINDING, ORIGIN, assertionFor, codeOf, phoneHarness } from './support/phone-harness.js';

const start = (h: ReturnType<typeof phoneHarness>, extra: { cardNumber?: string; mode?: 'cross_device' | 'same_device' } = {}) =>
  h.sessions.start({ binding: BINDING, mode: extra.mode ?? 'cross_device', requester: 'Comune di Esempio', ...(extra.cardNumber ? { cardNumber: extra.cardNumber } : {}) });

describe('the cross-device session, step by step', () => {
  test('waiting_for_app → app_opened → assertion_verified → otp_confirmed, each step visible to the desktop', async () => {
    const h = phoneHarness();
    const started = await start(h);
    expect(await h.sessions.view(started.sessionId, started.browserSecret)).toMatchObject({ state: 'waiting_for_app' });

    const opened = await h.sessions.open({ qr: started.qrNonce });
    expect(opened).toMatchObject({ origin: ORIGIN, requester: 'Comune di Esempio', level: 3, cardNumberRequired: false });
    expect((await h.sessions.state(started.sessionId)).state).toBe('app_opened');

    const result = await h.sessions.acceptAssertion(opened.appToken, assertionFor(opened.challenge));
    if (result.mode !== 'cross_device') throw new Error('expected an OTP');
    expect(result.otp).toMatch(/^[0-9]{6}$/);
    expect((await h.sessions.state(started.sessionId)).state).toBe('assertion_verified');

    const confirmed = await h.sessions.confirm(started.sessionId, started.browserSecret, result.otp);
    expect(confirmed.binding).toEqual(BINDING);
    expect(confirmed.citizen.fiscalCode).toBe('RSSMRA85T10A562S');
    expect((await h.sessions.state(started.sessionId)).state).toBe('otp_confirmed');
    // The citizen is handed out once.
    expect(await codeOf(h.sessions.confirm(started.sessionId, started.browserSecret, result.otp))).toBe('wrong_state');
  });

  test('nothing about the citizen is stored before the signature is verified; the OTP is stored only as a digest', async () => {
    const h = phoneHarness();
    const started = await start(h);
    const opened = await h.sessions.open({ qr: started.qrNonce });
    const before = h.written.map((w) => w.value).join('\n');
    expect(before).not.toContain('RSSMRA85T10A562S');
    expect(before).not.toContain(started.browserSecret);
    expect(before).not.toContain(opened.appToken);
    const result = await h.sessions.acceptAssertion(opened.appToken, assertionFor(opened.challenge));
    const after = h.written.map((w) => w.value).join('\n');
    expect(after).toContain('RSSMRA85T10A562S');
    if (result.mode === 'cross_device') expect(after).not.toContain(`"${result.otp}"`);
  });

  test('an assertion before the app opened, or a second one, is refused', async () => {
    const h = phoneHarness();
    const started = await start(h);
    expect(await codeOf(h.sessions.acceptAssertion('x'.repeat(43), assertionFor('y')))).toBe('session_not_found');
    const opened = await h.sessions.open({ qr: started.qrNonce });
    await h.sessions.acceptAssertion(opened.appToken, assertionFor(opened.challenge));
    expect(await codeOf(h.sessions.acceptAssertion(opened.appToken, assertionFor(opened.challenge)))).toBe('wrong_state');
  });

  test('the typed code opens the session like the QR, and then neither works again', async () => {
    const h = phoneHarness();
    const started = await start(h);
    expect(started.typedCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
    const typed = `${started.typedCode.slice(0, 4).toLowerCase()}-${started.typedCode.slice(4)}`;
    await h.sessions.open({ code: typed });
    expect(await codeOf(h.sessions.open({ code: started.typedCode }))).toBe('qr_invalid');
    expect(await codeOf(h.sessions.open({ qr: started.qrNonce }))).toBe('qr_invalid');
  });

  test('a malformed QR or code is refused without touching the store', async () => {
    const h = phoneHarness();
    expect(await codeOf(h.sessions.open({ qr: 'short' }))).toBe('malformed_request');
    expect(await codeOf(h.sessions.open({ code: 'ABC' }))).toBe('malformed_request');
    expect(await codeOf(h.sessions.open({}))).toBe('malformed_request');
  });

  test('the card number typed on the desktop must be the card that signed', async () => {
    const h = phoneHarness();
    const started = await start(h, { cardNumber: 'CA00000AA' });
    const opened = await h.sessions.open({ qr: started.qrNonce });
    expect(opened.cardNumberRequired).toBe(true);
    h.documentNumber.value = 'CA11111BB';
    expect(await codeOf(h.sessions.acceptAssertion(opened.appToken, assertionFor(opened.challenge)))).toBe('card_mismatch');
    expect(await h.sessions.state(started.sessionId)).toEqual({ state: 'failed', code: 'card_mismatch' });
  });

  test('the same-device mode hands back a link whose code only this browser can redeem', async () => {
    const h = phoneHarness();
    const started = await start(h, { mode: 'same_device' });
    const opened = await h.sessions.open({ qr: started.qrNonce });
    const result = await h.sessions.acceptAssertion(opened.appToken, assertionFor(opened.challenge));
    if (result.mode !== 'same_device') throw new Error('expected a hand-back');
    const code = new URL(result.handBackPath, ORIGIN).searchParams.get('code')!;
    expect(result.handBackPath).toBe(`/smartphone/return/${started.sessionId}?code=${code}`);
    const other = await start(h, { mode: 'same_device' });
    expect(await codeOf(h.sessions.confirm(started.sessionId, other.browserSecret, code))).toBe('not_this_session');
    expect(await codeOf(h.sessions.confirm(started.sessionId, started.browserSecret, '123456'))).toBe('wrong_otp');
    expect((await h.sessions.confirm(started.sessionId, started.browserSecret, code)).binding).toEqual(BINDING);
  });

  test('a cancel fails the session for good', async () => {
    const h = phoneHarness();
    const started = await start(h);
    await h.sessions.cancel(started.sessionId, started.browserSecret);
    expect(await h.sessions.state(started.sessionId)).toEqual({ state: 'failed', code: 'cancelled' });
    expect(await codeOf(h.sessions.open({ qr: started.qrNonce }))).toBe('wrong_state');
  });
});

describe('lifetimes', () => {
  test('a QR not opened in time: the desktop sees expired, the app is refused', async () => {
    const h = phoneHarness({ waitingSeconds: 180 });
    const started = await start(h);
    h.advance(180);
    expect(await h.sessions.state(started.sessionId)).toEqual({ state: 'expired', code: 'session_expired' });
    expect(await codeOf(h.sessions.open({ qr: started.qrNonce }))).toBe('qr_invalid');
  });

  test('an OTP typed too late is refused as expired', async () => {
    const h = phoneHarness({ otpSeconds: 120 });
    const started = await start(h);
    const opened = await h.sessions.open({ qr: started.qrNonce });
    const result = await h.sessions.acceptAssertion(opened.appToken, assertionFor(opened.challenge));
    h.advance(120);
    expect(await h.sessions.state(started.sessionId)).toEqual({ state: 'expired', code: 'otp_expired' });
    expect(await codeOf(h.sessions.confirm(started.sessionId, started.browserSecret, (result as { otp: string }).otp))).toBe('otp_expired');
  });

  test('the whole session ends at its lifetime whatever its step', async () => {
    const h = phoneHarness({ sessionSeconds: 600 });
    const started = await start(h);
    const opened = await h.sessions.open({ qr: started.qrNonce });
    h.advance(600);
    expect((await h.sessions.state(started.sessionId)).state).toBe('expired');
    expect(await codeOf(h.sessions.acceptAssertion(opened.appToken, assertionFor(opened.challenge)))).toMatch(/session_not_found|session_expired/);
  });
});
