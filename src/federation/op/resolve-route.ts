import type { Context, Next } from 'koa';
import { signFederationJwt, type FederationSigningKey } from '../entity-statement.js';
import { JOSE_TYPES, MEDIA_TYPES } from '../media-types.js';
import type { ChainSource, TrustChain } from './chain-source.js';
import { federationErrorResponse } from './federation-error-response.js';
import { RESOLVE_PATH } from './op-entity-configuration.js';
import { resolveResponseClaims } from './resolve-response.js';

export interface ResolveRouteOptions {
  issuer: string;
  /** Undefined without trust anchors: then every request is answered invalid_trust_anchor. */
  chains: Pick<ChainSource, 'cached'> | undefined;
  /** The configured trust anchors' entity ids. */
  trustAnchors: string[];
  /** The provider's own chain under an anchor, when it has one (sub = the issuer). */
  ownChain?: (trustAnchor: string) => Promise<TrustChain | undefined>;
  signingKey: FederationSigningKey;
  lifetimeSeconds: number;
  now?: () => number;
}

/** One value of a query parameter; an array (the parameter repeated) is not one. */
function single(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/**
 * The resolve endpoint (`GET /resolve?sub=…&trust_anchor=…[&entity_type=…]*`; the Italian profile's
 * example names the anchor `anchor`, and both are read). It answers ONLY from chains already
 * resolved — by an RP's login or by the cache's refresh; the provider's own chain from what its own
 * trust marks' refresh fetched — never by resolving on request: the
 * profile's security rule (an unauthenticated caller must not make the provider fetch from
 * arbitrary hosts). Errors are the spec's JSON: invalid_request (400), invalid_trust_anchor (404),
 * not_found (404).
 */
export function resolveRoute(options: ResolveRouteOptions) {
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));
  return async function resolve(ctx: Context, next: Next): Promise<void> {
    if (ctx.path !== RESOLVE_PATH && ctx.path !== `${RESOLVE_PATH}/`) return next();
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.set('Allow', 'GET, HEAD');
      return federationErrorResponse(ctx, 'invalid_request', 'the resolve endpoint answers GET');
    }
    const sub = single(ctx.query.sub);
    const trustAnchor = single(ctx.query.trust_anchor) ?? single(ctx.query.anchor);
    if (!sub) return federationErrorResponse(ctx, 'invalid_request', 'sub is required, once');
    if (!trustAnchor) return federationErrorResponse(ctx, 'invalid_request', 'trust_anchor (or anchor) is required, once');
    if (!options.trustAnchors.includes(trustAnchor)) return federationErrorResponse(ctx, 'invalid_trust_anchor', 'not a trust anchor of this provider');
    const chain = sub === options.issuer && options.ownChain ? await options.ownChain(trustAnchor) : options.chains?.cached(sub, trustAnchor);
    const at = now();
    if (!chain || chain.exp <= at) return federationErrorResponse(ctx, 'not_found', 'no trust chain of this subject under this trust anchor is known here');
    const claims = resolveResponseClaims({ issuer: options.issuer, chain, entityTypes: list(ctx.query.entity_type), now: at, lifetimeSeconds: options.lifetimeSeconds });
    ctx.type = MEDIA_TYPES.resolveResponse;
    ctx.body = await signFederationJwt(claims, options.signingKey, JOSE_TYPES.resolveResponse);
  };
}
