import { BINDING, assertionFor, codeOf, phoneHarness } from './support/phone-harness.js';

const start = (h: ReturnType<typeof phoneHarness>) => h.sessions.start({ binding: BINDING, mode: 'cross_device', requester: 'Comune di Esempio' });

async function verifiedSession(h: ReturnType<typeof phoneHarness>) {
  const started = await start(h);
  const opened = await h.sessions.open({ qr: started.qrNonce });
  const result = await h.sessions.acceptAssertion(opened.appToken, assertionFor(opened.challenge));
  if (result.mode !== 'cross_device') throw new Error('expected an OTP');
  return { started, opened, otp: result.otp };
}

const wrongOtp = (otp: string) => String((Number(otp) + 1) % 1_000_000).padStart(6, '0');

describe('QR replay and QRs of another session', () => {
  test('a replayed QR finds nothing: single use', async () => {
    const h = phoneHarness();
    const started = await start(h);
    await h.sessions.open({ qr: started.qrNonce });
    expect(await codeOf(h.sessions.open({ qr: started.qrNonce }))).toBe('qr_invalid');
  });

  test('two phones racing one QR: exactly one opens the session', async () => {
    const h = phoneHarness();
    const started = await start(h);
    const results = await Promise.allSettled([h.sessions.open({ qr: started.qrNonce }), h.sessions.open({ qr: started.qrNonce }), h.sessions.open({ code: started.typedCode })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code)).toEqual(['qr_invalid', 'qr_invalid']);
  });

  test('an assertion made for another session\'s challenge is refused and fails the session it was posted to', async () => {
    const h = phoneHarness();
    const a = await start(h);
    const b = await start(h);
    const openedA = await h.sessions.open({ qr: a.qrNonce });
    const openedB = await h.sessions.open({ qr: b.qrNonce });
    expect(await codeOf(h.sessions.acceptAssertion(openedA.appToken, assertionFor(openedB.challenge)))).toBe('assertion_refused');
    expect(await h.sessions.state(a.sessionId)).toEqual({ state: 'failed', code: 'challenge_interaction_mismatch' });
    // B's challenge was taken by the attempt: it cannot be used any more either (one try per challenge).
    expect(await codeOf(h.sessions.acceptAssertion(openedB.appToken, assertionFor(openedB.challenge)))).toBe('assertion_refused');
  });
});

describe('an app that posts twice', () => {
  test('two concurrent posts of the same assertion: one result, and the session stays verified', async () => {
    const h = phoneHarness();
    const started = await start(h);
    const opened = await h.sessions.open({ qr: started.qrNonce });
    const results = await Promise.allSettled([h.sessions.acceptAssertion(opened.appToken, assertionFor(opened.challenge)), h.sessions.acceptAssertion(opened.appToken, assertionFor(opened.challenge))]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await h.sessions.state(started.sessionId)).state).toBe('assertion_verified');
  });
});

describe('the OTP', () => {
  test('brute force is bounded: the 5th wrong code ends the session, the right one is then refused too', async () => {
    const h = phoneHarness({ otpAttempts: 5 });
    const { started, otp } = await verifiedSession(h);
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) codes.push(await codeOf(h.sessions.confirm(started.sessionId, started.browserSecret, wrongOtp(otp))));
    expect(codes).toEqual(['wrong_otp', 'wrong_otp', 'wrong_otp', 'wrong_otp', 'too_many_otp_attempts']);
    expect(await codeOf(h.sessions.confirm(started.sessionId, started.browserSecret, otp))).toBe('too_many_otp_attempts');
    expect(await h.sessions.state(started.sessionId)).toEqual({ state: 'failed', code: 'too_many_otp_attempts' });
  });

  test('concurrent guesses cannot exceed the bound: of 20 parallel wrong codes and the right one, at most 5 are compared', async () => {
    const h = phoneHarness({ otpAttempts: 5 });
    const { started, otp } = await verifiedSession(h);
    const guesses = Array.from({ length: 20 }, () => h.sessions.confirm(started.sessionId, started.browserSecret, wrongOtp(otp)));
    const codes = await Promise.all(guesses.map(codeOf));
    expect(codes.filter((c) => c === 'wrong_otp').length).toBeLessThanOrEqual(4);
    expect(await codeOf(h.sessions.confirm(started.sessionId, started.browserSecret, otp))).toBe('too_many_otp_attempts');
  });

  test('malformed codes count as attempts and never match', async () => {
    const h = phoneHarness({ otpAttempts: 3 });
    const { started, otp } = await verifiedSession(h);
    expect(await codeOf(h.sessions.confirm(started.sessionId, started.browserSecret, `${otp}0`))).toBe('wrong_otp');
    expect(await codeOf(h.sessions.confirm(started.sessionId, started.browserSecret, Number(otp)))).toBe('wrong_otp');
    expect(await codeOf(h.sessions.confirm(started.sessionId, started.browserSecret, ' '))).toBe('too_many_otp_attempts');
  });
});

describe('two desktops', () => {
  test('another desktop cannot read, stream or confirm a session it did not start, even with the right OTP', async () => {
    const h = phoneHarness();
    const { started, otp } = await verifiedSession(h);
    const other = await start(h);
    expect(await codeOf(h.sessions.view(started.sessionId, other.browserSecret))).toBe('not_this_session');
    expect(await codeOf(h.sessions.checkOwner(started.sessionId, other.browserSecret))).toBe('not_this_session');
    expect(await codeOf(h.sessions.confirm(started.sessionId, other.browserSecret, otp))).toBe('not_this_session');
    // Its own session with the first one's OTP: the code is bound to the session it was issued for.
    const ownOpened = await h.sessions.open({ qr: other.qrNonce });
    await h.sessions.acceptAssertion(ownOpened.appToken, assertionFor(ownOpened.challenge));
    expect(await codeOf(h.sessions.confirm(other.sessionId, other.browserSecret, otp))).toMatch(/wrong_otp|fulfilled/);
    expect((await h.sessions.confirm(started.sessionId, started.browserSecret, otp)).binding).toEqual(BINDING);
  });

  test('two tabs of the owner racing the right OTP: the citizen is handed out once', async () => {
    const h = phoneHarness();
    const { started, otp } = await verifiedSession(h);
    const results = await Promise.allSettled([1, 2, 3].map(() => h.sessions.confirm(started.sessionId, started.browserSecret, otp)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });
});
