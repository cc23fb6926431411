import type { Context } from 'koa';
import { renderErrorPage } from '../shared/errors/render-error-page.js';
import type { Language } from '../shared/language.js';
import type { SignInMethod } from '../sign-in/sign-in-method.js';
import { interactionAbortPath, interactionBinding, interactionRetryPath } from './interaction-waiter.js';
import { messagesFor, type Messages } from './messages.js';

export function pageData(lang: Language, title: (m: Messages) => string, extra: Record<string, unknown>) {
  const m = messagesFor(lang);
  return { lang, m, title: title(m), assets: '/assets', ...extra };
}

/** "Riprova" (the method started again for this interaction) and "Torna al servizio". */
export function retryLinks(uid: string, method: Pick<SignInMethod, 'pathName'>) {
  return { retry: { action: interactionRetryPath(uid, method.pathName) }, back: { href: interactionAbortPath(uid) } };
}

/** A sign-in that failed (cancelled, wrong PIN, refused assertion...): "Riprova" while the method allows it. */
export async function showFailure(ctx: Context, language: Language, uid: string, method: SignInMethod, code: string): Promise<void> {
  const languageSwitchPath = `/interaction/${encodeURIComponent(uid)}/${method.pathName}/failed?code=${encodeURIComponent(code)}`;
  const mayRetry = (await method.mayRetry?.(interactionBinding(uid))) ?? true;
  // The last allowed failure: no "Riprova", which would only meet the limit. A failure page is a 400 whatever the code.
  const links = mayRetry ? retryLinks(uid, method) : { back: { href: interactionAbortPath(uid) }, lastAttempt: true };
  return renderErrorPage(ctx, { code, language, status: 400, languageSwitchPath, ...links });
}
