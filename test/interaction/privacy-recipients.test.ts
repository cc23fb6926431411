import Koa from 'koa';
import request from 'supertest';
import { helpRoutes } from '../../src/interaction/help-routes.js';
import { DEFAULT_SITE, siteSettings } from '../../src/shared/site-settings.js';

// The privacy page (src/interaction/help-footer-pages-text.ts) names the breached-password range API as a
// recipient only when BREACHED_PASSWORDS_API is set: what it receives (5 characters of a SHA-1) and when.

function app(breachedPasswordsApi?: string): Koa {
  const koa = new Koa();
  koa.use(siteSettings(DEFAULT_SITE));
  koa.use(helpRoutes(breachedPasswordsApi === undefined ? {} : { breachedPasswordsApi }).routes());
  return koa;
}

test('with the range API set, the privacy page names its host, the 5-character hash prefix and when (Italian and English); no other page does', async () => {
  const server = app('https://api.pwnedpasswords.com').callback();
  const it = await request(server).get('/privacy?lang=it').expect(200);
  expect(it.text).toContain('Quando scegli o cambi la password delle credenziali CieID, il servizio invia a api.pwnedpasswords.com solo i primi 5 caratteri dell’impronta SHA-1');
  const en = await request(server).get('/privacy?lang=en').expect(200);
  expect(en.text).toContain('When you choose or change the password of your CieID credentials, the service sends api.pwnedpasswords.com only the first 5 characters');
  for (const path of ['/note-legali', '/contatti', '/accessibilita']) expect((await request(server).get(path).expect(200)).text).not.toContain('pwnedpasswords');
});

test('without it (the default, or the offline file only) the privacy page names no such recipient', async () => {
  for (const server of [app().callback(), app('').callback()]) {
    const page = await request(server).get('/privacy?lang=it').expect(200);
    expect(page.text).toContain('Informativa sulla privacy');
    expect(page.text).not.toContain('SHA-1');
  }
});
