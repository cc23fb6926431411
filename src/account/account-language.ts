import type { Context } from 'koa';
import { chooseLanguage, type Language } from '../shared/language.js';

export function language(ctx: Context): Language {
  const lang = chooseLanguage({
    query: typeof ctx.query.lang === 'string' ? ctx.query.lang : undefined,
    cookie: ctx.cookies.get('lang'),
    acceptLanguage: ctx.get('accept-language'),
  });
  if (ctx.query.lang === lang) ctx.cookies.set('lang', lang, { httpOnly: true, sameSite: 'lax', signed: false, overwrite: true });
  return lang;
}
