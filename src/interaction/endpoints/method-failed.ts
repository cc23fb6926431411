import type { Context } from 'koa';
import type { SignInMethod } from '../../sign-in/sign-in-method.js';
import type { InteractionDeps } from '../interaction-deps.js';
import { InteractionError } from '../interaction-error.js';
import { requestLanguage } from '../../shared/request-language.js';
import { showFailure } from '../interaction-pages.js';
import { interactionFor } from '../load-interaction.js';

/** GET /interaction/:uid/<method>/failed?code=…: the failure page again, without its one-time ticket (where its language switch leads). */
export function methodFailed(method: SignInMethod) {
  return async (deps: InteractionDeps, ctx: Context): Promise<void> => {
    const details = await interactionFor(deps.provider, ctx);
    const lang = requestLanguage(ctx, details.params.ui_locales);
    const code = String(ctx.query.code ?? '');
    // Only this browser's own interaction, and a code's shape: an unknown code reads as an internal error.
    if (!/^[a-z_]{1,40}$/.test(code)) throw new InteractionError('challenge_unknown', 'failure page without a code');
    return showFailure(ctx, lang, details.uid, method, code);
  };
}
