import type { Context, Next } from 'koa';
import { renderErrorPage } from '../../shared/errors/render-error-page.js';
import { RequestBodyError } from '../../shared/form-body.js';
import { requestLanguage } from '../../shared/request-language.js';
import { SignInError } from '../sign-in-error.js';

/**
 * Errors of the card's own routes as pages, for no known sign-in (so no link back to one): an
 * unknown challenge or waiter (400), a refused body (413/415), our bug (500).
 */
export async function cardErrorPages(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
  } catch (error) {
    const language = requestLanguage(ctx);
    if (error instanceof SignInError) return renderErrorPage(ctx, { code: 'challenge_unknown', language });
    if (error instanceof RequestBodyError) return renderErrorPage(ctx, { code: error.code, language });
    ctx.app.emit('error', error, ctx);
    return renderErrorPage(ctx, { code: 'server_error', language });
  }
}
