import { loadProviderConfig } from '../../src/config/config.js';

// The smartphone sign-in's lifetimes are the operator's settings (SMARTPHONE_*_TTL), bounded; no request chooses one.
const BASE = { CIE_TRUST_ANCHORS: '', CIE_INTERMEDIATES: '', ISSUER: 'http://localhost:3997' };

test('the documented defaults: QR 180 s, session 600 s, OTP 120 s', () => {
  expect(loadProviderConfig(BASE).smartphone).toEqual({ waitingSeconds: 180, sessionSeconds: 600, otpSeconds: 120 });
});

test('shorter lifetimes may be set (the tests use them), never outside their bounds', () => {
  expect(loadProviderConfig({ ...BASE, SMARTPHONE_OTP_TTL: '20', SMARTPHONE_QR_TTL: '30', SMARTPHONE_SESSION_TTL: '60' }).smartphone).toEqual({ waitingSeconds: 30, sessionSeconds: 60, otpSeconds: 20 });
  expect(() => loadProviderConfig({ ...BASE, SMARTPHONE_OTP_TTL: '0' })).toThrow(/SMARTPHONE_OTP_TTL/);
  expect(() => loadProviderConfig({ ...BASE, SMARTPHONE_SESSION_TTL: '86400' })).toThrow(/SMARTPHONE_SESSION_TTL/);
  expect(() => loadProviderConfig({ ...BASE, SMARTPHONE_QR_TTL: 'soon' })).toThrow(/SMARTPHONE_QR_TTL/);
});

test('the QR and the OTP never outlive their session', () => {
  expect(loadProviderConfig({ ...BASE, SMARTPHONE_SESSION_TTL: '60', SMARTPHONE_OTP_TTL: '600', SMARTPHONE_QR_TTL: '600' }).smartphone).toEqual({ waitingSeconds: 60, sessionSeconds: 60, otpSeconds: 60 });
});
