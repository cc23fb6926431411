import type Router from '@koa/router';
import { type RouteRow, routeTable } from '../shared/route-table.js';
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

type Route = RouteRow<InteractionDeps>;

/** A row of the shared route table; the interaction's endpoints take their deps first. */
const row = (method: Route['method'], path: string, endpoint: InteractionEndpoint): Route => ({
  method,
  path,
  endpoint: (ctx, deps) => endpoint(deps, ctx),
});

/** Each sign-in method's start (its button) and its failure page, under the method's path name. */
const methodRoutes = (method: SignInMethod): Route[] => [
  row('post', `/interaction/:uid/${method.pathName}`, startMethod(method)),
  row('get', `/interaction/:uid/${method.pathName}/failed`, methodFailed(method)),
];

/** The login, sign-in and consent steps of an authorization, between oidc-provider's redirects. */
export function interactionRoutes(deps: InteractionDeps): Router {
  const table: Route[] = [
    row('get', '/interaction/:uid', show),
    ...deps.methods.flatMap(methodRoutes),
    row('get', '/interaction/:uid/cie/complete', complete),
    row('post', '/interaction/:uid/confirm', confirm),
    row('get', '/interaction/:uid/abort', abort),
  ];
  return routeTable(table, deps, [errorPages]);
}
