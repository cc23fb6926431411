import Koa from 'koa';
import request from 'supertest';
import { ConfigError, loadProviderConfig } from '../../src/config/config.js';
import { renderPage } from '../../src/shared/html.js';
import { DEFAULT_SITE, siteSettings } from '../../src/shared/site-settings.js';
import { staticAssets, withoutDataUrlFonts } from '../../src/shared/static-assets.js';

describe('the citizen pages\' settings (OPERATOR_NAME, footer links, help desk)', () => {
  test('the documented defaults are the ones pages fall back to', () => {
    expect(loadProviderConfig({}).site).toEqual(DEFAULT_SITE);
  });

  test('a footer link is an http(s) URL or a path on the provider, never a script or another host by //', () => {
    expect(loadProviderConfig({ PRIVACY_URL: 'https://www.comune.example.it/privacy' }).site.links.privacy).toBe('https://www.comune.example.it/privacy');
    expect(loadProviderConfig({ CONTACTS_URL: '/contatti' }).site.links.contacts).toBe('/contatti');
    for (const bad of ['javascript:alert(1)', '//evil.example/privacy', '/\\evil.example', 'privacy.html', 'data:text/html,x']) {
      expect(() => loadProviderConfig({ PRIVACY_URL: bad })).toThrow(ConfigError);
    }
    expect(() => loadProviderConfig({ OPERATOR_URL: 'javascript:alert(1)' })).toThrow(ConfigError);
    expect(loadProviderConfig({}).site.operatorUrl).toBe('');
  });

  test('pages show the configured operator; the CSP lets fonts come from our origin only and fetches from nowhere', async () => {
    const app = new Koa();
    app.use(siteSettings({ ...DEFAULT_SITE, operatorName: 'Comune di Prova' }));
    app.use(async (ctx) => renderPage(ctx, 'help', { lang: 'it', m: (await import('../../src/interaction/messages.js')).messagesFor('it'), title: 't', assets: '/assets', page: { title: 'T', lead: 'L', sections: [] } }));
    const answer = await request(app.callback()).get('/');
    expect(answer.text).toContain('Comune di Prova');
    const csp = answer.headers['content-security-policy'];
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("font-src 'self'");
    expect(csp).not.toContain('connect-src');
  });
});

describe('static assets', () => {
  const app = new Koa();
  app.use(staticAssets('/assets'));

  test('every server that serves our assets answers /favicon.ico', async () => {
    const answer = await request(app.callback()).get('/favicon.ico');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('image/x-icon');
  });

  test('Bootstrap Italia\'s stylesheet and Titillium Web come from node_modules through our own origin', async () => {
    const css = await request(app.callback()).get('/assets/vendor/bootstrap-italia.min.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.text).toContain('.it-header-wrapper');
    expect(css.text).not.toMatch(/url\(["']?data:application\/font/);
    const font = await request(app.callback()).get('/assets/fonts/titillium-web-latin-400-normal.woff2');
    expect(font.status).toBe(200);
    expect(font.headers['content-type']).toBe('font/woff2');
  });

  test('only the data: font rules are dropped from the kit\'s stylesheet', () => {
    const css = '.a{color:red}@font-face{font-family:X;src:url(data:application/font-woff;base64,AAAA) format("woff")}@font-face{font-family:Y;src:url("y.woff2")}.b{color:blue}';
    expect(withoutDataUrlFonts(css)).toBe('.a{color:red}@font-face{font-family:Y;src:url("y.woff2")}.b{color:blue}');
  });
});
