import Koa from 'koa';
import { trackPendingSignIns } from '../observability/bridge-metrics.js';
import { requestLogging } from '../shared/request-logging.js';
import { staticAssets } from '../shared/static-assets.js';
import { bridgeAssets } from './bridge-assets.js';
import { bridgeHttpMetrics } from './bridge-http-metrics.js';
import { bridgeRouter } from './bridge-routes.js';
import type { BridgeDeps, BridgeState } from './bridge-state.js';
import { CardJobs } from './card-jobs.js';
import { FormTokens } from './form-token.js';
import { loopbackGuard } from './loopback-guard.js';
import { measuredPins, measuredSigner } from './measured-card.js';
import { PendingRequests } from './pending-requests.js';
import { unexpectedErrors } from './unexpected-errors.js';

export type { BridgeDeps } from './bridge-state.js';

/**
 * The bridge's web face, on loopback only: the sign-in pages (PIN, the card's progress, the assertion
 * forwarded to the provider) and the citizen's card pages (counters, PIN change, unblock with the PUK),
 * listed in bridge-routes.ts.
 */
export function createBridgeApp(deps: BridgeDeps): Koa {
  const app = new Koa();
  // Every card session the pages start is counted by operation and outcome (docs/operations.md).
  const measured: BridgeDeps = { ...deps, signer: measuredSigner(deps.signer), pins: measuredPins(deps.pins) };
  const state: BridgeState = { deps: measured, pending: new PendingRequests(), jobs: new CardJobs(), tokens: new FormTokens() };
  trackPendingSignIns(state.pending);
  const router = bridgeRouter(state);
  app.use(requestLogging('bridge-http'));
  app.use(bridgeHttpMetrics());
  app.use(loopbackGuard(deps.port));
  app.use(unexpectedErrors(deps.allowedOrigins[0] ?? ''));
  app.use(bridgeAssets());
  app.use(staticAssets('/assets'));
  app.use(router.routes());
  app.use(router.allowedMethods());
  app.silent = true;
  return app;
}
