import { authorizationUrl, completeLogin, type PendingLogin } from '../../src/demo-rp/rp-client.js';
import type { LocalStack } from '../../src/demo/local-stack.js';
import { formIn, TestBrowser, type BrowserResponse } from './test-browser.js';

/** One citizen's browser going through the card login, step by step, as the tests need it. */
export class CardLoginFlow {
  readonly browser: TestBrowser;
  pending!: PendingLogin;

  constructor(private readonly stack: LocalStack) {
    this.browser = new TestBrowser(stack.rp.redirectUri);
  }

  /** RP → /auth (signed request object) → login page of the provider. */
  async openLoginPage(scope = 'openid profile email'): Promise<BrowserResponse> {
    const { url, pending } = await authorizationUrl(this.stack.rp.config, this.stack.rp.redirectUri, this.stack.rp.keys, scope);
    this.pending = pending;
    return this.browser.get(url.href);
  }

  /** Clicks "Entra con CIE": challenge issued, browser sent to the bridge's PIN page. */
  async clickEntraConCie(loginPage: BrowserResponse): Promise<BrowserResponse> {
    const { action } = formIn(loginPage.body, { action: /\/cie$/ });
    return this.browser.post(new URL(action, this.stack.issuer).href, {}, this.stack.issuer);
  }

  async enterPin(pinPage: BrowserResponse, pin: string): Promise<BrowserResponse> {
    const { fields } = formIn(pinPage.body, { action: /^\/login$/ });
    return this.browser.post(`${this.stack.bridge.url}/login`, { ...fields, pin }, this.stack.bridge.url);
  }

  /** The bridge's auto-submitted form: assertion to the provider (cross-site), then completion. */
  async forwardAssertion(forwardPage: BrowserResponse): Promise<BrowserResponse> {
    const { action, fields } = formIn(forwardPage.body, { action: /\/cie\/assertion$/ });
    return this.browser.post(action, fields, this.stack.bridge.url);
  }

  async allowConsent(consentPage: BrowserResponse): Promise<BrowserResponse> {
    const { action, fields } = formIn(consentPage.body, { action: /\/confirm$/ });
    return this.browser.post(new URL(action, this.stack.issuer).href, fields, this.stack.issuer);
  }

  /** openid-client finishes: code → token (private_key_jwt) → userinfo (signed and encrypted). */
  async finish(callback: BrowserResponse) {
    return completeLogin(this.stack.rp.config, new URL(callback.url), this.pending);
  }

  async loginWithPin(pin: string, scope?: string) {
    const pinPage = await this.clickEntraConCie(await this.openLoginPage(scope));
    const forward = await this.enterPin(pinPage, pin);
    const consent = await this.forwardAssertion(forward);
    const callback = await this.allowConsent(consent);
    return { pinPage, forward, consent, callback };
  }
}
