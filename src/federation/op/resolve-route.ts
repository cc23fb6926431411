import type { Context, Next } from 'koa';
import { BoundedCache } from '../../shared/bounded-cache.js';
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

/** Signed answers kept at most (per subject, anchor and entity types asked). */
export const MAX_SIGNED_RESOLVE_ANSWERS = 256;

/** What a signed answer says, but its times: a new chain (refresh, new trust marks) gives a new answer. */
function fingerprintOf(chain: TrustChain): string {
  return [chain.exp, ...chain.statements, ...chain.trustMarks.map((mark) => mark.jwt)].join(' ');
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
  // As for the entity configuration (half-life-statement.ts): an answer is signed once and handed out
  // until half its life has passed, so that anyone's GETs cannot make the provider sign per request.
  const signed = new BoundedCache<{ fingerprint: string; jwt: string }>(MAX_SIGNED_RESOLVE_ANSWERS);
  const resolve = async (ctx: Context): Promise<void> => {
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
    const entityTypes = [...new Set(list(ctx.query.entity_type))].sort();
    const key = JSON.stringify([sub, trustAnchor, entityTypes]);
    const fingerprint = fingerprintOf(chain);
    const kept = signed.get(key, at);
    let jwt = kept?.fingerprint === fingerprint ? kept.jwt : undefined;
    if (jwt === undefined) {
      const claims = resolveResponseClaims({ issuer: options.issuer, chain, entityTypes, now: at, lifetimeSeconds: options.lifetimeSeconds });
      jwt = await signFederationJwt(claims, options.signingKey, JOSE_TYPES.resolveResponse);
      const exp = claims.exp as number;
      // Renewed at half life, or as soon as a trust mark it lists expires (the answer lists only valid ones).
      const renewAt = Math.min(at + Math.max(1, Math.floor((exp - at) / 2)), ...chain.trustMarks.map((mark) => mark.exp ?? Infinity).filter((markExp) => markExp > at));
      signed.set(key, { fingerprint, jwt }, renewAt);
    }
    ctx.type = MEDIA_TYPES.resolveResponse;
    ctx.body = jwt;
  };
  // Not async for other requests: every request passes through this layer.
  return (ctx: Context, next: Next): Promise<unknown> => (ctx.path === RESOLVE_PATH || ctx.path === `${RESOLVE_PATH}/` ? resolve(ctx) : next());
}
