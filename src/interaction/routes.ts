import Router from '@koa/router';
import type { SignInMethod } from '../sign-in/sign-in-method.js';
import { abort } from './endpoints/abort.js';
import { complete } from './endpoints/complete.js';
import { confirm } from './endpoints/confirm.js';
import type { InteractionEndpoint } from './endpoints/endpoint.js';
import { errorPages } from './endpoints/error-pages.js';
import { methodFailed } from './endpoints/method-failed.js';
import { show } from './endpoints/show.js';
import { startMethod } from './endpoints/start-method.js';
import type { InteractionDeps } from './interaction-deps.js';

export type { InteractionDeps } from './interaction-deps.js';

type Route = readonly ['get' | 'post', string, InteractionEndpoint];

/** Each sign-in method's start (its button) and its failure page, under the method's path name. */
const methodRoutes = (method: SignInMethod): Route[] => [
  ['post', `/interaction/:uid/${method.pathName}`, startMethod(method)],
  ['get', `/interaction/:uid/${method.pathName}/failed`, methodFailed(method)],
];

/** The login, sign-in and consent steps of an authorization, between oidc-provider's redirects. */
export function interactionRoutes(deps: InteractionDeps): Router {
  const table: Route[] = [
    ['get', '/interaction/:uid', show],
    ...deps.methods.flatMap(methodRoutes),
    ['get', '/interaction/:uid/cie/complete', complete],
    ['post', '/interaction/:uid/confirm', confirm],
    ['get', '/interaction/:uid/abort', abort],
  ];
  const router = new Router();
  router.use(errorPages);
  for (const [verb, path, endpoint] of table) router[verb](path, (ctx) => endpoint(deps, ctx));
  return router;
}
