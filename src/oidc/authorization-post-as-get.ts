import type { Middleware } from 'koa';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { readForm, RequestBodyError } from '../shared/form-body.js';

// The GET that follows carries the form in its URL: stay well under Node's 16 KiB header limit.
const FORM_LIMIT_BYTES = 8 * 1024;

/**
 * POST to the authorization endpoint for an http issuer. oidc-provider serves POST itself only with
 * SameSite=None session cookies, which browsers keep only when Secure (https). With Lax cookies a
 * cross-site POST still works (test/browser/cross-site-post.browser.test.ts), but the library
 * refuses that configuration; so the form is answered with a 303 to the same request as GET.
 */
export function authorizationPostAsGet(endpoint: URL, renderError: NonNullable<Configuration['renderError']>): Middleware {
  return async (ctx, next) => {
    if (ctx.method !== 'POST' || ctx.path !== endpoint.pathname) return next();
    let form: URLSearchParams;
    try {
      form = await readForm(ctx, FORM_LIMIT_BYTES);
    } catch (error) {
      if (!(error instanceof RequestBodyError)) throw error;
      // The provider's own error page (Italian/English in the app), as for any bad authorization request.
      ctx.status = error.code === 'body_too_large' ? 413 : 400;
      await renderError(ctx as KoaContextWithOIDC, { error: 'invalid_request', error_description: error.message }, error);
      return;
    }
    ctx.status = 303;
    ctx.redirect(`${endpoint.href}?${form}`);
  };
}
