import type { Middleware } from 'koa';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { readAuthorizationForm } from './authorization-form.js';
import { routeMatcher } from './route-match.js';

// The GET that follows carries the form in its URL: stay well under Node's 16 KiB header limit.
const FORM_LIMIT_BYTES = 8 * 1024;

/**
 * POST to the authorization endpoint for an http issuer. oidc-provider serves POST itself only with
 * SameSite=None session cookies, which browsers keep only when Secure (https). With Lax cookies a
 * cross-site POST still works (test/browser/cross-site-post.browser.test.ts), but the library
 * refuses that configuration; so the form is answered with a 303 to the same request as GET (at
 * `endpoint`, the issuer's URL of the endpoint). `routePath` is the path the library's router serves
 * the endpoint at: every spelling it accepts (`/auth/`, `/AUTH`) is a POST to answer (route-match.ts).
 */
export function authorizationPostAsGet(routePath: string, endpoint: URL, renderError: NonNullable<Configuration['renderError']>): Middleware {
  const isAuthorizationPost = routeMatcher(routePath, ['POST']);
  const answerAsGet: Middleware = async (ctx) => {
    const form = await readAuthorizationForm(ctx as KoaContextWithOIDC, FORM_LIMIT_BYTES, renderError);
    if (form === undefined) return;
    ctx.status = 303;
    ctx.redirect(`${endpoint.href}?${new URLSearchParams(form)}`);
  };
  // Not async for other requests: every request passes through this layer.
  return (ctx, next) => (isAuthorizationPost(ctx) ? answerAsGet(ctx, next) : next());
}
