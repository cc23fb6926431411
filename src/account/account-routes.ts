import Router from '@koa/router';
import { cardNetworkLimit } from '../sign-in/card/card-network-limit.js';
import { noCardRateLimits } from '../sign-in/card/card-rate-limits.js';
import type { AccountDeps } from './account-deps.js';
import { answerAccountErrors } from './account-error-answer.js';
import type { AccountHandler } from './endpoints/account-endpoint.js';
import { cardComplete } from './endpoints/card-complete.js';
import { historyDownload } from './endpoints/history-download.js';
import { show } from './endpoints/show.js';
import { signOut } from './endpoints/sign-out.js';
import { startCardSignIn } from './endpoints/start-card-sign-in.js';
import { withdraw } from './endpoints/withdraw.js';

interface Route {
  method: 'get' | 'post';
  path: string;
  handler: AccountHandler;
  /** Counted by the card's per-network limit before any work (it starts a card sign-in). */
  cardLimited?: true;
}

/** Every endpoint of "I tuoi accessi" (docs/account.md), one module each under endpoints/. */
const ROUTES: readonly Route[] = [
  { method: 'get', path: '/account', handler: show },
  { method: 'post', path: '/account/cie', handler: startCardSignIn, cardLimited: true },
  { method: 'get', path: '/account/cie/complete', handler: cardComplete },
  { method: 'post', path: '/account/withdraw', handler: withdraw },
  { method: 'post', path: '/account/history', handler: historyDownload },
  { method: 'post', path: '/account/sign-out', handler: signOut },
];

/**
 * "I tuoi accessi": the citizen signs in with the card (as a waiter of the sign-in room, bound to a
 * sign-in cookie), sees the relying parties holding offline access and withdraws it
 * (cie-oidc-profile.md §3.4), and reads or downloads the history of their accesses.
 */
export function accountRoutes(deps: AccountDeps): Router {
  const router = new Router();
  const perNetwork = cardNetworkLimit(deps.networkLimit ?? noCardRateLimits().perNetwork);
  router.use(answerAccountErrors);
  for (const route of ROUTES) {
    router[route.method](route.path, ...(route.cardLimited ? [perNetwork] : []), (ctx) => route.handler(ctx, deps));
  }
  return router;
}
