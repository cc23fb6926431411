import Router from '@koa/router';
import type { Context, Next } from 'koa';

/** One row of a room's route table: the verb, the path (@koa/router syntax) and the endpoint module. */
export interface RouteRow<Deps> {
  method: 'get' | 'post';
  path: string;
  endpoint: (ctx: Context, deps: Deps) => Promise<void> | void;
}

/**
 * A room's routes from its table (one module per endpoint, as oidc-provider's lib/actions): each row
 * gets the room's deps; `around` (e.g. the room's error answer) wraps every row, in order.
 */
export function routeTable<Deps>(
  rows: readonly RouteRow<Deps>[],
  deps: Deps,
  around: readonly ((ctx: Context, next: Next) => Promise<void>)[] = [],
): Router {
  const router = new Router();
  for (const middleware of around) router.use(middleware);
  for (const { method, path, endpoint } of rows) router[method](path, (ctx) => endpoint(ctx, deps));
  return router;
}
