import { CookieJar } from 'tough-cookie';

export interface BrowserResponse {
  status: number;
  url: string;
  headers: Headers;
  body: string;
}

/**
 * A minimal cookie-keeping HTTP "browser" for end-to-end tests without Chromium: it follows
 * redirects like a browser (303 → GET), stores cookies per the Path/SameSite rules tough-cookie
 * implements, and sends an Origin header on form POSTs as browsers do.
 */
export class TestBrowser {
  readonly jar = new CookieJar();

  /** Redirects to URLs starting with this prefix are not followed (the RP's callback, handled by the test). */
  constructor(private readonly stopAt?: string) {}

  async get(url: string): Promise<BrowserResponse> {
    return this.#navigate(url, { method: 'GET' });
  }

  /** Submits a form as a page at `fromOrigin` would (Origin header, urlencoded body). */
  async post(url: string, form: Record<string, string>, fromOrigin: string): Promise<BrowserResponse> {
    return this.#navigate(url, { method: 'POST', body: new URLSearchParams(form).toString(), origin: fromOrigin });
  }

  async #navigate(start: string, first: { method: string; body?: string; origin?: string }): Promise<BrowserResponse> {
    let url = start;
    let request = first;
    let crossSiteInitiator = first.origin !== undefined && new URL(first.origin).host !== new URL(start).host;
    for (let hop = 0; hop < 20; hop += 1) {
      const headers: Record<string, string> = { 'accept-language': 'it' };
      const cookie = await this.jar.getCookieString(url, { sameSiteContext: crossSiteInitiator && request.method !== 'GET' ? 'none' : 'lax' });
      if (cookie) headers.cookie = cookie;
      if (request.body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
      if (request.origin) headers.origin = request.origin;
      const response = await fetch(url, { method: request.method, headers, body: request.body, redirect: 'manual' });
      for (const setCookie of response.headers.getSetCookie()) await this.jar.setCookie(setCookie, url, { ignoreError: true });
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        url = new URL(location, url).href;
        if (this.stopAt && url.startsWith(this.stopAt)) return { status: response.status, url, headers: response.headers, body: '' };
        request = response.status === 307 || response.status === 308 ? request : { method: 'GET' };
        crossSiteInitiator = false;
        continue;
      }
      return { status: response.status, url, headers: response.headers, body: await response.text() };
    }
    throw new Error(`too many redirects from ${start}`);
  }
}

/** The named form's action and fields, read from the HTML the way a browser would submit it. */
export function formIn(html: string, selector: { action?: RegExp; index?: number } = {}): { action: string; fields: Record<string, string> } {
  const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)];
  const match = selector.action ? forms.find((f) => selector.action!.test(/action="([^"]*)"/.exec(f[1]!)?.[1] ?? '')) : forms[selector.index ?? 0];
  if (!match) throw new Error('form not found');
  const action = decodeHtml(/action="([^"]*)"/.exec(match[1]!)?.[1] ?? '');
  const fields: Record<string, string> = {};
  for (const input of match[2]!.matchAll(/<input\b([^>]*)>/g)) {
    const name = /name="([^"]*)"/.exec(input[1]!)?.[1];
    const value = /value="([^"]*)"/.exec(input[1]!)?.[1];
    if (name && value !== undefined && /type="hidden"/.test(input[1]!)) fields[name] = decodeHtml(value);
  }
  return { action, fields };
}

export function decodeHtml(text: string): string {
  return text.replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}
