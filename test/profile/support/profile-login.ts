import { authorizationUrl, completeLogin, type PendingLogin } from '../../../src/demo-rp/rp-client.js';
import { formIn, TestBrowser, type BrowserResponse } from '../../support/test-browser.js';
import { CITIZEN, type ProfileStack, type TestRp } from './profile-stack.js';

export interface LoginOptions {
  scope?: string;
  /** Ticks the "keep me signed in" box on the consent page. */
  offline?: boolean;
  browser?: TestBrowser;
}

export interface LoginResult {
  browser: TestBrowser;
  pending: PendingLogin;
  callback: BrowserResponse;
  consent: BrowserResponse;
}

/** RP → /auth → (card login, trusted) → consent → back at the RP's redirect_uri. */
export async function loginAtProvider(stack: ProfileStack, rp: TestRp, options: LoginOptions = {}): Promise<LoginResult> {
  const browser = options.browser ?? new TestBrowser(rp.redirectUri);
  const { url, pending } = await authorizationUrl(rp.config, rp.redirectUri, rp.keys, options.scope ?? 'openid profile email');
  const loginPage = await browser.get(url.href);
  const uid = /\/interaction\/([^/?#]+)$/.exec(loginPage.url)?.[1];
  if (loginPage.status !== 200 || !uid) throw new Error(`no login page: ${loginPage.status} ${loginPage.url} ${loginPage.body}`);
  const assertion = JSON.stringify({ interactionUid: uid, ...CITIZEN });
  const consent = await browser.post(`${stack.issuer}/cie/assertion`, { assertion }, 'http://127.0.0.1:9');
  const { action, fields } = formIn(consent.body, { action: /\/confirm$/ });
  const callback = await browser.post(new URL(action, stack.issuer).href, options.offline ? { ...fields, offline_access: 'on' } : fields, stack.issuer);
  if (!callback.url.startsWith(rp.redirectUri)) throw new Error(`no callback: ${callback.status} ${callback.url} ${callback.body}`);
  return { browser, pending, callback, consent };
}

/** The full login, then code → tokens → userinfo with openid-client. */
export async function signIn(stack: ProfileStack, rp: TestRp, options: LoginOptions = {}) {
  const login = await loginAtProvider(stack, rp, options);
  return { ...login, ...(await completeLogin(rp.config, new URL(login.callback.url), login.pending)) };
}
