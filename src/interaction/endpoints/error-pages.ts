import type { Context, Next } from 'koa';
import { RequestBodyError } from '../../shared/form-body.js';
import { SignInError } from '../../sign-in/sign-in-error.js';
import { InteractionError } from '../interaction-error.js';
import { language, showError } from '../interaction-pages.js';
import { messagesFor } from '../messages.js';

/** Every error of the interaction's endpoints as a page: the citizen's words, the code for the RP's developers. */
export async function errorPages(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
  } catch (error) {
    const lang = language(ctx);
    const m = messagesFor(lang);
    if (error instanceof InteractionError) {
      const message = error.code === 'challenge_unknown' ? m.challengeUnknown : m.sessionExpired;
      return showError(ctx, lang, error.code, message);
    }
    if (error instanceof SignInError) return showError(ctx, lang, 'challenge_unknown', m.challengeUnknown);
    if (error instanceof RequestBodyError) {
      return showError(ctx, lang, error.code, m.genericError, undefined, error.code === 'body_too_large' ? 413 : 415);
    }
    ctx.app.emit('error', error, ctx);
    return showError(ctx, lang, 'server_error', m.genericError, undefined, 500);
  }
}
