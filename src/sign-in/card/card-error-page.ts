import type { Context, Next } from 'koa';
import { RequestBodyError } from '../../shared/form-body.js';
import { renderPage } from '../../shared/html.js';
import { chooseLanguage, type Language } from '../../shared/language.js';
import { messagesFor } from '../../interaction/messages.js';
import { SignInError } from '../sign-in-error.js';

/** The language of a card page: `?lang=` (remembered in a cookie), the cookie, Accept-Language. */
export function cardLanguage(ctx: Context): Language {
  const lang = chooseLanguage({
    query: typeof ctx.query.lang === 'string' ? ctx.query.lang : undefined,
    cookie: ctx.cookies.get('lang'),
    acceptLanguage: ctx.get('accept-language'),
  });
  if (ctx.query.lang === lang) ctx.cookies.set('lang', lang, { httpOnly: true, sameSite: 'lax', signed: false, overwrite: true });
  return lang;
}

/** The error page of the card's own endpoint, for no known sign-in (so no link back to one). */
export async function showCardError(ctx: Context, lang: Language, code: string, message: string, status = 400): Promise<void> {
  const m = messagesFor(lang);
  await renderPage(ctx, 'error', { lang, m, title: m.errorTitle, assets: '/assets', code, message, retryUid: undefined }, { status });
}

/** Errors of the card's own routes as pages: an unknown challenge (400), a refused body (413/415), our bug (500). */
export async function cardErrorPages(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
  } catch (error) {
    const lang = cardLanguage(ctx);
    const m = messagesFor(lang);
    if (error instanceof SignInError) return showCardError(ctx, lang, error.code === 'unknown_waiter' ? 'challenge_unknown' : error.code, m.challengeUnknown);
    if (error instanceof RequestBodyError) return showCardError(ctx, lang, error.code, m.genericError, error.code === 'body_too_large' ? 413 : 415);
    ctx.app.emit('error', error, ctx);
    return showCardError(ctx, lang, 'server_error', m.genericError, 500);
  }
}
