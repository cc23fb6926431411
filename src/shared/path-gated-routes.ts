import type Router from '@koa/router';

/** Where a route's path stops being literal (a parameter, a group, an optional part, a wildcard). */
const PATTERN_START = /[:(){}*?+\\[]/;

/**
 * `router.routes()` behind a test of the literal start of its routes' paths. The provider stacks a
 * dozen routers in front of oidc-provider's own routes, and every request (an `/auth`, a `/token`)
 * ran each one's matcher: the regular expressions of all its routes, the matched-route bookkeeping
 * and an event. A request whose path begins with none of a router's literal prefixes cannot match
 * any of its routes, so it goes straight on; any other request is the router's exactly as before.
 * A router with a route given as a regular expression is never skipped.
 */
export function pathGatedRoutes(router: Router): ReturnType<Router['routes']> {
  const dispatch = router.routes();
  const prefixes: string[] = [];
  let caseInsensitive = false;
  for (const layer of router.stack) {
    // Router-level middleware (no method) runs only when one of the router's routes matched.
    if (layer.methods.length === 0) continue;
    if (typeof layer.path !== 'string') return dispatch;
    // The same case rule as the routes' own expressions (@koa/router matches case-insensitively unless told otherwise).
    if (layer.regexp.flags.includes('i')) caseInsensitive = true;
    prefixes.push(escapeRegExp(layer.path.split(PATTERN_START, 1)[0]!));
  }
  // A router without routes (a method whose options turned them all off) matches nothing: `^(?:)` would let every request in.
  if (prefixes.length === 0) return (_ctx, next) => next();
  const mayMatch = new RegExp(`^(?:${[...new Set(prefixes)].join('|')})`, caseInsensitive ? 'i' : '');
  // Not async: a skipped router adds no promise (nor its async-context bookkeeping) to the request.
  const gated: typeof dispatch = (ctx, next) => (mayMatch.test(ctx.path) ? dispatch(ctx, next) : next());
  return gated;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
