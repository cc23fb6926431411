import { authorizationUrl } from '../../src/demo-rp/rp-client.js';
import { TestBrowser } from '../support/test-browser.js';
import { CITIZEN, startProfileStack, type ProfileStack } from './support/profile-stack.js';

let stack: ProfileStack;
beforeAll(async () => {
  stack = await startProfileStack();
});
afterAll(async () => stack?.close());

test('a citizen who refuses consent sends the RP access_denied with state and iss', async () => {
  const browser = new TestBrowser(stack.rp.redirectUri);
  const { url, pending } = await authorizationUrl(stack.rp.config, stack.rp.redirectUri, stack.rp.keys, 'openid profile');
  const loginPage = await browser.get(url.href);
  const uid = /\/interaction\/([^/?#]+)$/.exec(loginPage.url)![1]!;
  const consent = await browser.post(`${stack.issuer}/cie/assertion`, { assertion: JSON.stringify({ interactionUid: uid, ...CITIZEN }) }, 'http://127.0.0.1:9');
  const abort = /href="(\/interaction\/[^"]+\/abort)"/.exec(consent.body)?.[1];
  expect(abort).toBeDefined();
  const callback = await browser.get(`${stack.issuer}${abort}`);
  const back = new URL(callback.url);
  expect(back.href.startsWith(stack.rp.redirectUri)).toBe(true);
  expect(back.searchParams.get('error')).toBe('access_denied');
  expect(back.searchParams.get('state')).toBe(pending.state);
  expect(back.searchParams.get('iss')).toBe(stack.issuer);
  expect(back.searchParams.get('code')).toBeNull();
});
