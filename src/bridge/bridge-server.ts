import Koa from 'koa';
import { CodedError } from '../shared/coded-error.js';
import { RequestBodyError } from '../shared/form-body.js';
import { loggerFor } from '../shared/logger.js';
import { requestLogging } from '../shared/request-logging.js';
import { staticAssets } from '../shared/static-assets.js';
import { bridgeAssets } from './bridge-assets.js';
import { renderBridgePage } from './bridge-pages.js';
import { type BridgeDeps, languageOf, type SignedByCard } from './bridge-state.js';
import { CardJobs } from './card-jobs.js';
import { cardRoutes } from './card-routes.js';
import { FormTokens } from './form-token.js';
import { loginRoutes } from './login-routes.js';
import { loopbackGuard } from './loopback-guard.js';
import { bridgeMessages } from './messages.js';
import { PendingRequests } from './pending-requests.js';

export type { BridgeDeps } from './bridge-state.js';

/**
 * The bridge's web face, on loopback only: the sign-in pages (PIN, the card's progress, the assertion
 * forwarded to the provider) and the citizen's card pages (counters, PIN change, unblock with the PUK).
 */
export function createBridgeApp(deps: BridgeDeps): Koa {
  const app = new Koa();
  const state = { deps, pending: new PendingRequests(), jobs: new CardJobs<SignedByCard>(), tokens: new FormTokens() };
  const login = loginRoutes(state);
  const card = cardRoutes(state);

  const log = loggerFor('bridge');
  app.use(requestLogging('bridge-http'));
  app.use(loopbackGuard(deps.port));
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const language = languageOf(ctx);
      const m = bridgeMessages(language);
      const options = { helpOrigin: deps.allowedOrigins[0] ?? '' };
      if (error instanceof RequestBodyError) {
        return renderBridgePage(ctx, 'message', language, { code: error.code, message: m.badRequest }, { ...options, status: error.code === 'body_too_large' ? 413 : 415 });
      }
      // Never echo the error: it could in theory carry request data. Log only its code/name.
      log.error({ event: 'bridge_unexpected_error', code: error instanceof CodedError ? error.code : 'internal_error', error_type: (error as Error)?.name }, 'bridge: unexpected error');
      return renderBridgePage(ctx, 'message', language, { code: 'internal_error', message: m.cardError }, { ...options, status: 500 });
    }
  });
  app.use(bridgeAssets());
  app.use(staticAssets('/assets'));
  app.use(login.routes());
  app.use(login.allowedMethods());
  app.use(card.routes());
  app.use(card.allowedMethods());
  app.silent = true;
  return app;
}
