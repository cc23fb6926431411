import type { Context } from 'koa';
import { chooseLanguage, type Language } from './language.js';

export interface RequestLanguageOptions {
  /**
   * Read and remember the choice in the `lang` cookie (the provider's pages). The bridge keeps no
   * cookie: it is a local program, the language travels with each request it opens.
   */
  cookie?: boolean;
}

/**
 * The language of a koa request: `?lang=` > the `lang` cookie > the OIDC `ui_locales` > Accept-Language,
 * Italian by default. A `?lang=` that chose is remembered in the cookie, so the next page keeps it.
 */
export function requestLanguage(ctx: Context, uiLocales?: unknown, options: RequestLanguageOptions = {}): Language {
  const useCookie = options.cookie ?? true;
  const query = typeof ctx.query.lang === 'string' ? ctx.query.lang : undefined;
  const lang = chooseLanguage({
    query,
    cookie: useCookie ? ctx.cookies.get('lang') : undefined,
    uiLocales: typeof uiLocales === 'string' ? uiLocales : undefined,
    acceptLanguage: ctx.get('accept-language'),
  });
  if (useCookie && query === lang) ctx.cookies.set('lang', lang, { httpOnly: true, sameSite: 'lax', signed: false, overwrite: true });
  return lang;
}
