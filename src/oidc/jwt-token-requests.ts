import { parse, stringify } from 'node:querystring';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { readFormText, RequestBodyError } from '../shared/form-body.js';
import { hiddenForm } from './jwt-tokens.js';

type Next = () => Promise<unknown>;

/** The library's own limit for request bodies (lib/shared/selective_body.js). */
const BODY_LIMIT = 56 * 1024;

/**
 * Lets the introspection and revocation endpoints take this provider's JWT access and refresh
 * tokens (jwt-tokens.ts), which oidc-provider would refuse as "structured tokens": the form is read
 * here and handed on with the token in the hidden form, every other parameter (duplicates too)
 * unchanged. The library reads an already-read body from `req.body`.
 */
export function jwtTokenRequests(paths: readonly string[]) {
  const passJwtTokens = async (ctx: KoaContextWithOIDC, next: Next): Promise<void> => {
    let form;
    try {
      form = parse(await readFormText(ctx, BODY_LIMIT));
    } catch (error) {
      if (!(error instanceof RequestBodyError)) throw error;
      ctx.status = 400;
      ctx.body = { error: 'invalid_request', error_description: 'failed to parse the request body' };
      return;
    }
    // Only a single token is rewritten; duplicates stay for the library's duplicate check.
    if (typeof form.token === 'string') form.token = hiddenForm(form.token);
    (ctx.req as { body?: Buffer }).body = Buffer.from(stringify(form));
    await next();
  };
  // Not async for other requests: every request passes through this layer.
  return (ctx: KoaContextWithOIDC, next: Next) => (ctx.method === 'POST' && paths.includes(ctx.path) && ctx.is('application/x-www-form-urlencoded') ? passJwtTokens(ctx, next) : next());
}
