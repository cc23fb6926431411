import Router from '@koa/router';
import { errorMessage } from '../../shared/errors/error-table.js';
import { bindingKey } from '../binding-key.js';
import type { SignInMethod } from '../sign-in-method.js';
import { cardAssertionEndpoint } from './card-assertion-endpoint.js';
import { cardErrorPages } from './card-error-page.js';
import { networkLimit } from '../network-limit.js';
import { CARD_METHOD, CARD_PATH_NAME, type CardSignInDeps } from './card-sign-in-deps.js';
import { startCardSignIn } from './card-start.js';

/**
 * The desktop card sign-in ("Entra con CIE", level 3): a challenge bound to the waiter, the bridge's
 * PIN page, the assertion POSTed back to `/cie/assertion`, the verifier chain, and a completion
 * ticket carrying the VerifiedCitizen (or the failure's code) to the waiter's completion path.
 */
export function createCardSignIn(deps: CardSignInDeps): SignInMethod {
  const routes = new Router();
  routes.use(cardErrorPages);
  routes.post('/cie/assertion', networkLimit(deps.rateLimits.perNetwork, CARD_METHOD), (ctx) => cardAssertionEndpoint(deps, ctx));
  return {
    id: CARD_METHOD,
    level: 3,
    pathName: CARD_PATH_NAME,
    choiceView: 'sign-in/card-choice',
    start: (ctx, binding, language) => startCardSignIn(deps, ctx, binding, language),
    // The last allowed failure: no "Riprova", which would only meet the limit.
    mayRetry: async (binding) => (await deps.rateLimits.failuresPerInteraction.peek(bindingKey(binding))).allowed,
    failureMessage: (code, language) => errorMessage(code, language),
    routes,
  };
}
