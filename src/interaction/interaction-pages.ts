import type { Context } from 'koa';
import { renderPage } from '../shared/html.js';
import { chooseLanguage, type Language } from '../shared/language.js';
import type { SignInMethod } from '../sign-in/sign-in-method.js';
import { interactionBinding } from './interaction-waiter.js';
import { messagesFor, type Messages } from './messages.js';

/** The page's language: `?lang=` (remembered in a cookie), the cookie, the request's ui_locales, Accept-Language. */
export function language(ctx: Context, uiLocales?: unknown): Language {
  const lang = chooseLanguage({
    query: typeof ctx.query.lang === 'string' ? ctx.query.lang : undefined,
    cookie: ctx.cookies.get('lang'),
    uiLocales: typeof uiLocales === 'string' ? uiLocales : undefined,
    acceptLanguage: ctx.get('accept-language'),
  });
  if (ctx.query.lang === lang) ctx.cookies.set('lang', lang, { httpOnly: true, sameSite: 'lax', signed: false, overwrite: true });
  return lang;
}

export function pageData(lang: Language, title: (m: Messages) => string, extra: Record<string, unknown>) {
  const m = messagesFor(lang);
  return { lang, m, title: title(m), assets: '/assets', ...extra };
}

export async function showError(ctx: Context, lang: Language, code: string, message: string, retryUid?: string, status = 400): Promise<void> {
  await renderPage(ctx, 'error', pageData(lang, (m) => m.errorTitle, { code, message, retryUid }), { status });
}

/** A sign-in that failed (cancelled, wrong PIN, refused assertion...): "Riprova" while the method allows it. */
export async function showFailure(ctx: Context, lang: Language, uid: string, method: SignInMethod, code: string): Promise<void> {
  const m = messagesFor(lang);
  const message = method.failureMessage(code, lang);
  const languageSwitchPath = `/interaction/${encodeURIComponent(uid)}/${method.pathName}/failed?code=${encodeURIComponent(code)}`;
  const mayRetry = (await method.mayRetry?.(interactionBinding(uid))) ?? true;
  if (!mayRetry) {
    return renderPage(ctx, 'error', pageData(lang, (mm) => mm.errorTitle, { code, message: `${message} ${m.attemptsUsedUp}`, retryUid: undefined, backUid: uid }), { status: 400, languageSwitchPath });
  }
  return renderPage(ctx, 'error', pageData(lang, (mm) => mm.errorTitle, { code, message, retryUid: uid }), { status: 400, languageSwitchPath });
}
