import { parse, stringify, type ParsedUrlQuery } from 'node:querystring';
import { isDeepStrictEqual } from 'node:util';
import type { Middleware } from 'koa';
import { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { readAuthorizationForm } from './authorization-form.js';
import { routeMatcher } from './route-match.js';

export type OuterParams = Record<string, unknown>;

/** oidc-provider's own limit for request bodies (lib/shared/selective_body.js). */
const BODY_LIMIT = 56 * 1024;

/**
 * The authorization request parameters (RFC 6749 §4.1.1, OIDC Core §3.1.2.1, RFC 7636, RFC 9207's
 * neighbours) that a client may also repeat outside its request object. `request` itself is not one.
 */
const AUTHORIZATION_PARAMETERS = [
  'client_id', 'response_type', 'redirect_uri', 'scope', 'state', 'nonce', 'prompt', 'acr_values',
  'code_challenge', 'code_challenge_method', 'response_mode', 'claims', 'ui_locales', 'claims_locales',
  'max_age', 'display', 'login_hint', 'id_token_hint', 'resource', 'authorization_details',
] as const;

const outerByRequest = new WeakMap<object, OuterParams>();

/**
 * RFC 9101 §5: the request object's values are the ones used, so a parameter need not be repeated
 * outside it (a JAR client sends only `client_id` and `request`). When a client does repeat one, it
 * must be the same value: a difference means the two were not written together, and the signed one
 * would silently win. A parameter only outside would be silently ignored, so it is refused too.
 */
export function assertOuterParametersMatch(claims: Record<string, unknown>, outer: OuterParams): void {
  for (const name of AUTHORIZATION_PARAMETERS) {
    const outside = outer[name];
    if (outside === undefined) continue;
    if (claims[name] === undefined) throw new errors.InvalidRequestObject(`${name} is sent outside the request object only; put it inside`);
    if (!sameValue(outside, claims[name])) throw new errors.InvalidRequestObject(`${name} outside the request object differs from the one inside`);
  }
}

function sameValue(outside: unknown, inside: unknown): boolean {
  if (typeof outside !== 'string') return false;
  if (typeof inside === 'string') return outside === inside;
  if (typeof inside === 'number' || typeof inside === 'boolean') return outside === String(inside);
  try {
    return isDeepStrictEqual(JSON.parse(outside), inside);
  } catch {
    return false;
  }
}

/** The parameters a request carried outside its request object (empty for a request that was not one). */
export function outerParametersOf(ctx: object): OuterParams {
  return outerByRequest.get(ctx) ?? {};
}

/**
 * Hidden from the library until a request object verified: `redirect_uri` (where errors go) and
 * `response_type` (which the library compares with the inside one before verifying, so a difference
 * would be a 400 page instead of the redirected error of any other difference). Hidden whether or
 * not the request carries a request object: every client must send one (requireSignedRequestObject),
 * so nothing of a request without one is verified, and its error is the 400 page too.
 */
const HIDDEN_OUTSIDE = ['redirect_uri', 'response_type'];

/** Remembers the outer parameters; returns the query or form without the hidden ones (undefined: unchanged). */
function withoutHiddenParameters(ctx: object, params: ParsedUrlQuery): ParsedUrlQuery | undefined {
  outerByRequest.set(ctx, { ...params });
  // Repeated values stay: the library refuses duplicates with its 400 page.
  const hidden = HIDDEN_OUTSIDE.filter((name) => typeof params[name] === 'string');
  if (hidden.length === 0) return undefined;
  return Object.fromEntries(Object.entries(params).filter(([name]) => !hidden.includes(name)));
}

/**
 * In front of the authorization endpoint: remembers the parameters sent outside the request object
 * (for the comparison above, made once the request object has verified) and hides an outer
 * `redirect_uri` (and `response_type`) from oidc-provider. The library redirects an error to
 * `params.redirect_uri` as soon as that URI is registered, even while the request object is still
 * unverified (a bad signature, a forged `state`) or absent; without it, every error before
 * verification is the 400 page (SPID/CIE OIDC guidelines: error responses — docs/references.md), and after verification the request object's
 * own redirect_uri is used (the library replaces every parameter by the request object's).
 * `routePath` is the path the library's router serves the endpoint at; every spelling that router
 * accepts (`/auth/`, `/AUTH`, HEAD for GET) passes through here (route-match.ts).
 */
export function jarOuterParameters(routePath: string, renderError: NonNullable<Configuration['renderError']>): Middleware {
  const isAuthorization = routeMatcher(routePath, ['GET', 'POST']);
  const outerOnly: Middleware = async (ctx, next) => {
    if (ctx.method === 'GET' || ctx.method === 'HEAD') {
      const rest = withoutHiddenParameters(ctx, ctx.query);
      if (rest) ctx.querystring = stringify(rest);
      return next();
    }
    if (!ctx.is('application/x-www-form-urlencoded')) return next();
    const text = await readAuthorizationForm(ctx as KoaContextWithOIDC, BODY_LIMIT, renderError);
    if (text === undefined) return;
    const rest = withoutHiddenParameters(ctx, parse(text));
    // The library reads an already-read body from req.body (lib/shared/selective_body.js).
    (ctx.req as { body?: Buffer }).body = Buffer.from(rest ? stringify(rest) : text);
    return next();
  };
  // Not async for other requests: every request passes through this layer.
  return (ctx, next) => (isAuthorization(ctx) ? outerOnly(ctx, next) : next());
}
