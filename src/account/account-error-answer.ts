import type { Context, Next } from 'koa';
import { RequestBodyError } from '../shared/form-body.js';
import { renderPage } from '../shared/html.js';
import { language } from './account-language.js';
import { accountMessagesFor } from './messages.js';

/** A form body refused (413/415) or our own failure (500, logged): the error page, never a stack trace. */
export async function answerAccountErrors(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
  } catch (error) {
    const lang = language(ctx);
    const m = accountMessagesFor(lang);
    const status = error instanceof RequestBodyError ? (error.code === 'body_too_large' ? 413 : 415) : 500;
    if (status === 500) ctx.app.emit('error', error, ctx);
    await renderPage(ctx, 'error', { lang, m: { ...m, errorTitle: m.accountErrorTitle }, title: m.accountErrorTitle, assets: '/assets', notice: undefined, code: error instanceof RequestBodyError ? error.code : 'server_error', message: m.genericError, retryUid: undefined }, { status });
  }
}
