import { randomBytes } from 'node:crypto';
import Keygrip from 'keygrip';
import { CookieSigner } from '../../src/oidc/cookie-signer.js';

// keygrip is what koa's `cookies` uses by default: the signer must be interchangeable with it, so
// cookies signed before a deployment of this code (or by an older instance) stay valid.
const keys = () => [randomBytes(32).toString('base64url'), randomBytes(32).toString('base64url')];
const cookieData = (i: number) => `_session=${randomBytes(1 + (i % 40)).toString('base64url')}`;

test('signs exactly as keygrip does, for many keys and cookie values', () => {
  for (let i = 0; i < 200; i += 1) {
    const pair = keys();
    const data = cookieData(i);
    expect(new CookieSigner(pair).sign(data)).toBe(new Keygrip(pair).sign(data));
  }
});

test('accepts what keygrip signed and keygrip accepts what it signed, reporting the same key position', () => {
  const [newer, older] = keys() as [string, string];
  const rotated = [newer, older];
  for (let i = 0; i < 50; i += 1) {
    const data = cookieData(i);
    const signedByOlder = new Keygrip([older]).sign(data);
    expect(new CookieSigner(rotated).index(data, signedByOlder)).toBe(1);
    expect(new Keygrip(rotated).index(data, new CookieSigner([older]).sign(data))).toBe(1);
    expect(new CookieSigner(rotated).index(data, new Keygrip(rotated).sign(data))).toBe(0);
  }
});

test('refuses a signature of other data, by an unknown key, truncated, padded or not canonical base64url', () => {
  const signer = new CookieSigner(keys());
  const data = '_interaction=abc';
  const signature = signer.sign(data);
  expect(signer.verify(data, signature)).toBe(true);
  expect(signer.verify('_interaction=abd', signature)).toBe(false);
  expect(signer.verify(data, new CookieSigner(keys()).sign(data))).toBe(false);
  expect(signer.verify(data, signature.slice(0, -1))).toBe(false);
  expect(signer.verify(data, `${signature}=`)).toBe(false);
  expect(signer.verify(data, `${signature.slice(0, 10)}.${signature.slice(10)}`)).toBe(false);
  // Padded standard base64 of the same 20 bytes: keygrip refuses it too.
  expect(signer.verify(data, Buffer.from(signature, 'base64url').toString('base64'))).toBe(false);
  expect(signer.verify(data, '')).toBe(false);
  expect(signer.index(data, 'not a signature at all')).toBe(-1);
});

test('needs a key', () => {
  expect(() => new CookieSigner([])).toThrow(/at least one key/);
});
