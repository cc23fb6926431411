import type { Context, Next } from 'koa';
import { CredentialsError } from '../credentials/credentials-error.js';
import { renderErrorPage } from '../shared/errors/render-error-page.js';
import { RequestBodyError } from '../shared/form-body.js';
import { requestLanguage } from '../shared/request-language.js';
import { SignInError } from './sign-in-error.js';

/** The pages of a ceremony (password, passkey, the app's QR) answer every typed error with the error page (the table's words); the rest is a 500 page. */
export async function ceremonyErrorPages(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
  } catch (error) {
    const language = requestLanguage(ctx);
    if (error instanceof RequestBodyError || error instanceof CredentialsError) return renderErrorPage(ctx, { code: error.code, language });
    if (error instanceof SignInError) return renderErrorPage(ctx, { code: 'challenge_unknown', language });
    // A storage outage is answered by the outer guard (503); anything else is ours to log.
    if ((error as { code?: unknown }).code !== 'storage_unavailable') ctx.app.emit('error', error, ctx);
    return renderErrorPage(ctx, { code: 'server_error', language });
  }
}
