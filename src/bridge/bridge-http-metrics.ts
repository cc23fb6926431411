import type { Middleware } from 'koa';
import { bridgeHttpRequests } from '../observability/bridge-metrics.js';
import { BRIDGE_ASSETS_PREFIX } from './bridge-assets.js';

/** Methods a browser sends; any other token a local program invents is `other`, so the label set stays closed. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'OPTIONS']);

/**
 * Each answer counted by route, method and status. The route is the route table's path (`/login`,
 * `/pin/change`…) as @koa/router matched it, never the request's own path or query (they carry the
 * provider's origin and challenge): `assets` for the stylesheets and scripts, `unmatched` for the rest.
 */
export function bridgeHttpMetrics(): Middleware {
  return async (ctx, next) => {
    let status: number | undefined;
    try {
      await next();
    } catch (error) {
      const thrown = (error as { status?: unknown } | undefined)?.status;
      status = typeof thrown === 'number' && thrown >= 400 && thrown < 600 ? thrown : 500;
      throw error;
    } finally {
      bridgeHttpRequests.inc({ route: routeOf(ctx.path, (ctx as { _matchedRoute?: unknown })._matchedRoute), method: METHODS.has(ctx.method) ? ctx.method : 'other', status: String(status ?? ctx.status) });
    }
  };
}

function routeOf(path: string, matched: unknown): string {
  if (typeof matched === 'string') return matched;
  if (path.startsWith(`${BRIDGE_ASSETS_PREFIX}/`) || path.startsWith('/assets/')) return 'assets';
  return 'unmatched';
}
