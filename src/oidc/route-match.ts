import Router from 'oidc-provider/lib/helpers/router.js';

export type RouteMethod = 'GET' | 'POST';

/** A request's method and path as koa gives them (`ctx.method`, `ctx.path`). */
export interface RequestLine {
  method: string;
  path: string;
}

const unused = async (): Promise<void> => undefined;

/**
 * Whether a request reaches one of oidc-provider's routes, decided by the library's own router class
 * (lib/helpers/router.js) rather than by a comparison of our own: that router ignores letter case
 * and one trailing slash, and serves HEAD as GET, so `/auth/` and `/AUTH` are the authorization
 * endpoint too. A middleware in front of a route must see every request the route will serve.
 * `routePath` is the path the library registered (`provider.pathFor(name, { mountPath: '' })`).
 */
export function routeMatcher(routePath: string, methods: readonly RouteMethod[]): (request: RequestLine) => boolean {
  const router = new Router();
  for (const method of methods) {
    if (method === 'GET') router.get('route', routePath, unused);
    else router.post('route', routePath, unused);
  }
  return (request) => router.match(request.method, request.path) !== undefined;
}
