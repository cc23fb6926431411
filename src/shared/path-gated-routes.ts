import type Router from '@koa/router';

/** Where a route's path stops being literal (a parameter, a group, an optional part, a wildcard). */
const PATTERN_START = /[:(){}*?+\\[]/;

/**
 * The routers' `routes()` behind a test of the literal start of their routes' paths, as one layer.
 * The provider stacks a dozen routers in front of oidc-provider's own routes, and every request (an
 * `/auth`, a `/token`) ran each one's matcher (the regular expressions of all its routes, the
 * matched-route bookkeeping and an event) and passed each one's layer (a promise and its
 * async-context copy). A request whose path begins with none of a router's literal prefixes cannot
 * match any of its routes, so that router is skipped; the others run in their order, exactly as
 * stacked routers would. A router with a route given as a regular expression is never skipped; one
 * without routes always is.
 */
export function pathGatedRouters(routers: readonly Router[]): ReturnType<Router['routes']> {
  const gated = routers.map((router) => ({ mayMatch: gateOf(router), dispatch: router.routes() }));
  // Not async: a request no router may take adds no promise (nor its async-context bookkeeping).
  return (ctx, next) => {
    const candidates = gated.filter((router) => router.mayMatch(ctx.path));
    if (candidates.length === 0) return next();
    const run = (index: number): Promise<unknown> => (index === candidates.length ? next() : Promise.resolve(candidates[index]!.dispatch(ctx, () => run(index + 1))));
    return run(0);
  };
}

/** Whether a path may match one of the router's routes, from their literal prefixes. */
function gateOf(router: Router): (path: string) => boolean {
  const prefixes: string[] = [];
  let caseInsensitive = false;
  for (const layer of router.stack) {
    // Router-level middleware (no method) runs only when one of the router's routes matched.
    if (layer.methods.length === 0) continue;
    if (typeof layer.path !== 'string') return () => true;
    // The same case rule as the routes' own expressions (@koa/router matches case-insensitively unless told otherwise).
    if (layer.regexp.flags.includes('i')) caseInsensitive = true;
    prefixes.push(escapeRegExp(layer.path.split(PATTERN_START, 1)[0]!));
  }
  // A router without routes (a method whose options turned them all off) matches nothing: `^(?:)` would let every request in.
  if (prefixes.length === 0) return () => false;
  const mayMatch = new RegExp(`^(?:${[...new Set(prefixes)].join('|')})`, caseInsensitive ? 'i' : '');
  return (path) => mayMatch.test(path);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
