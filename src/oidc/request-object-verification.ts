import { errors, type Client, type KoaContextWithOIDC } from 'oidc-provider';
import { assertCieRequestObject } from './request-object-rules.js';
import { outerParametersOf } from './jar-outer-parameters.js';
import { recordRequestObjectUse } from './request-object-replay.js';
import { validUntil, type JwtTimeLimits } from './jwt-time-limits.js';
import { acceptsLegacyRequestObjects, logLegacyRequestObject } from './legacy-request-objects.js';

const unverifiedClaims = new WeakMap<object, Record<string, unknown>>();

/**
 * oidc-provider's `assertJwtClaimsAndHeader` runs BEFORE the library verifies the request object's
 * signature (lib/actions/authorization/process_request_object.js). So it only remembers the claims
 * for the check below: deciding or storing anything here would let a forged request object do it
 * (a bad signature used to leave its `jti` in the replay store, with its own `exp` as lifetime).
 */
export async function rememberUnverifiedClaims(ctx: KoaContextWithOIDC, claims: Record<string, unknown>): Promise<void> {
  unverifiedClaims.set(ctx, claims);
}

/**
 * The profile's request-object rules, the time rules and single use, run as oidc-provider's
 * `extraParams.request` validator: the library runs those after every built-in check of the
 * request, i.e. once the signature verified (`ctx.oidc.trusted`), the client is known and the
 * redirect_uri is registered. An error here is redirected to that redirect_uri with `state` and
 * `iss` (SPID/CIE OIDC guidelines: error responses — docs/references.md); only a request object that passed all of it is recorded as used.
 */
export function verifiedRequestObjectRules(issuer: string, limits: JwtTimeLimits) {
  return async function checkVerifiedRequestObject(ctx: KoaContextWithOIDC, _value: unknown, client: Client): Promise<void> {
    const claims = unverifiedClaims.get(ctx);
    if (!claims || !(ctx.oidc as { trusted?: unknown }).trusted) throw new errors.InvalidRequestObject('request object was not verified');
    // The endpoint's URL under the configured issuer: ctx.oidc.urlFor would build it from the Host header.
    const authorizationEndpoint = ctx.oidc.provider.urlFor('authorization');
    assertCieRequestObject(claims, outerParametersOf(ctx), { clientId: client.clientId, issuer, authorizationEndpoint });
    const legacy = acceptsLegacyRequestObjects(client);
    const missing = (['exp', 'jti'] as const).filter((name) => claims[name] === undefined);
    if (missing.length > 0 && !legacy) throw new errors.InvalidRequestObject(`request object ${missing.join(' and ')} required`);
    // A jti of another type would make single use fall back to the nonce (request-object-replay.ts).
    if (claims.jti !== undefined && (typeof claims.jti !== 'string' || claims.jti === '')) throw new errors.InvalidRequestObject('request object jti must be a non-empty string');
    const until = validUntil(claims, {
      maxLifetime: limits.requestObjectMaxLifetime,
      clockTolerance: limits.clockTolerance,
      now: Math.floor(Date.now() / 1000),
      expRequired: !legacy,
      iatRequired: true,
    });
    if (typeof until !== 'number') throw new errors.InvalidRequestObject(`request object ${until.problem}`);
    if (missing.length > 0) logLegacyRequestObject(client.clientId, missing);
    await recordRequestObjectUse(ctx.oidc.provider, claims, client.clientId, until, limits.clockTolerance);
  };
}
