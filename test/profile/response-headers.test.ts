import * as client from 'openid-client';
import { authorizationUrl, completeLogin } from '../../src/demo-rp/rp-client.js';
import { TestBrowser } from '../support/test-browser.js';
import { CITIZEN, startProfileStack, type ProfileStack } from './support/profile-stack.js';
import { loginAtProvider } from './support/profile-login.js';

let https: ProfileStack;
let http: ProfileStack;
beforeAll(async () => {
  [https, http] = await Promise.all([startProfileStack({ httpsBehindProxy: true }), startProfileStack()]);
});
afterAll(async () => Promise.all([https?.close(), http?.close()]));

function expectNoStore(headers: Headers): void {
  expect(headers.get('cache-control')).toBe('no-store');
  expect(headers.get('pragma')).toBe('no-cache');
}

test('an https issuer (behind a TLS proxy) sends Strict-Transport-Security on its pages and endpoints; an http one does not', async () => {
  const plain = https.issuer.replace('https:', 'http:');
  for (const path of ['/.well-known/openid-configuration', '/interaction/unknown', '/jwks']) {
    const answer = await fetch(`${plain}${path}`, { headers: { 'x-forwarded-proto': 'https' } });
    expect({ path, hsts: answer.headers.get('strict-transport-security') }).toEqual({ path, hsts: 'max-age=31536000' });
  }
  expect((await fetch(`${http.issuer}/.well-known/openid-configuration`)).headers.get('strict-transport-security')).toBeNull();
});

test('the redirect carrying the completion ticket, the authorization response carrying the code and the token response are never cached', async () => {
  const browser = new TestBrowser(http.rp.redirectUri);
  const { url } = await authorizationUrl(http.rp.config, http.rp.redirectUri, http.rp.keys, 'openid profile');
  const loginPage = await browser.get(url.href);
  const uid = /\/interaction\/([^/?#]+)$/.exec(loginPage.url)![1]!;
  const toCompletion = await fetch(`${http.issuer}/cie/assertion`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://127.0.0.1:9' },
    body: new URLSearchParams({ assertion: JSON.stringify({ interactionUid: uid, ...CITIZEN }) }),
  });
  expect(toCompletion.status).toBe(303);
  expect(toCompletion.headers.get('location')).toMatch(/\/cie\/complete\?ticket=/);
  expectNoStore(toCompletion.headers);

  const login = await loginAtProvider(http, http.rp, { scope: 'openid profile' });
  expect(new URL(login.callback.url).searchParams.get('code')).toBeTruthy();
  expectNoStore(login.callback.headers);

  const seen: Headers[] = [];
  const config = http.rp.config;
  config[client.customFetch] = async (url, options) => {
    const answer = await fetch(url, options as RequestInit);
    if (url.endsWith('/token')) seen.push(answer.headers);
    return answer;
  };
  try {
    const { tokens } = await completeLogin(config, new URL(login.callback.url), login.pending);
    expect(tokens.access_token).toEqual(expect.any(String));
  } finally {
    delete config[client.customFetch];
  }
  expect(seen).toHaveLength(1);
  expectNoStore(seen[0]!);
});
