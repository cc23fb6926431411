import type { Context, Next } from 'koa';
import { renderErrorPage } from '../../shared/errors/render-error-page.js';
import { RequestBodyError } from '../../shared/form-body.js';
import { requestLanguage } from '../../shared/request-language.js';
import { SignInError } from '../../sign-in/sign-in-error.js';
import { InteractionError } from '../interaction-error.js';

/** Every error of the interaction's endpoints as the error page (the table's words and status), the code for the RP's developers. */
export async function errorPages(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
  } catch (error) {
    const language = requestLanguage(ctx);
    if (error instanceof InteractionError || error instanceof RequestBodyError) return renderErrorPage(ctx, { code: error.code, language });
    if (error instanceof SignInError) return renderErrorPage(ctx, { code: 'challenge_unknown', language });
    ctx.app.emit('error', error, ctx);
    return renderErrorPage(ctx, { code: 'server_error', language });
  }
}
