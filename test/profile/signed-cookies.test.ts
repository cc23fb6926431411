import { createHmac } from 'node:crypto';
import { authorizationUrl } from '../../src/demo-rp/rp-client.js';
import { TestBrowser } from '../support/test-browser.js';
import { startProfileStack, type ProfileStack } from './support/profile-stack.js';

let stack: ProfileStack;
beforeAll(async () => {
  stack = await startProfileStack();
});
afterAll(async () => stack?.close());

/** The login page's URL and its interaction cookie, as the provider set them. */
async function startedLogin() {
  const browser = new TestBrowser(stack.rp.redirectUri);
  const { url } = await authorizationUrl(stack.rp.config, stack.rp.redirectUri, stack.rp.keys, 'openid profile');
  const loginPage = await browser.get(url.href);
  expect(loginPage.status).toBe(200);
  const cookies = await browser.jar.getCookies(loginPage.url);
  const value = cookies.find((cookie) => cookie.key === '_interaction')?.value;
  const signature = cookies.find((cookie) => cookie.key === '_interaction.sig')?.value;
  expect(value && signature).toBeTruthy();
  return { url: loginPage.url, value: value!, signature: signature! };
}

const openWith = (url: string, value: string, signature: string) =>
  fetch(url, { headers: { cookie: `_interaction=${value}; _interaction.sig=${signature}`, 'accept-language': 'en' } });

test('the interaction cookie opens the login page only with its own signature (HMAC-SHA1, base64url, as keygrip)', async () => {
  const login = await startedLogin();
  expect(login.signature).toMatch(/^[A-Za-z0-9_-]{27}$/);
  expect((await openWith(login.url, login.value, login.signature)).status).toBe(200);

  const forged = createHmac('sha1', 'not the provider key').update(`_interaction=${login.value}`).digest('base64url');
  const refused = await openWith(login.url, login.value, forged);
  expect(refused.status).toBe(400);
  expect(await refused.text()).toMatch(/session/i);
  expect((await openWith(login.url, login.value, `${login.signature}=`)).status).toBe(400);
});
