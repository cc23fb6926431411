import type { Context, Next } from 'koa';
import { renderErrorPage } from '../shared/errors/render-error-page.js';
import { RequestBodyError } from '../shared/form-body.js';
import { requestLanguage } from '../shared/request-language.js';

/** A form body refused (413/415) or our own failure (500, logged): the error page, never a stack trace. */
export async function answerAccountErrors(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
  } catch (error) {
    if (!(error instanceof RequestBodyError)) ctx.app.emit('error', error, ctx);
    const code = error instanceof RequestBodyError ? error.code : 'server_error';
    await renderErrorPage(ctx, { code, language: requestLanguage(ctx), surface: 'account' });
  }
}
