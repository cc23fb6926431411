import type { Context } from 'koa';
import { admitStartByNetwork } from '../../sign-in/network-limit.js';
import type { SignInMethod } from '../../sign-in/sign-in-method.js';
import type { InteractionDeps } from '../interaction-deps.js';
import { InteractionError } from '../interaction-error.js';
import { requestLanguage } from '../../shared/request-language.js';
import { interactionBinding } from '../interaction-waiter.js';
import { interactionFor } from '../load-interaction.js';
import { methodsFor } from '../methods-for-request.js';

/**
 * POST /interaction/:uid/<method>: the method's button ("Entra con CIE" posts to `/cie`). Every start
 * counts in the per-network window first, whatever the method (a flood limit counts before the
 * interaction is read); a method the request's level does not allow is refused like a step that is not pending.
 */
export function startMethod(method: SignInMethod) {
  return async (deps: InteractionDeps, ctx: Context): Promise<void> => {
    const binding = interactionBinding(String(ctx.params.uid));
    if (!(await admitStartByNetwork(ctx, deps.perNetwork, deps.waiters, binding, method))) return;
    const details = await interactionFor(deps.provider, ctx);
    if (details.prompt.name !== 'login') throw new InteractionError('wrong_prompt', 'no login pending');
    if (!methodsFor([method], details.params.acr_values).length) throw new InteractionError('wrong_prompt', `${method.id} does not reach the requested level`);
    await method.start(ctx, binding, requestLanguage(ctx, details.params.ui_locales));
  };
}
