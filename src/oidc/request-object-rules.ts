import { errors } from 'oidc-provider';
import { ACR, acrValuesSupported } from './acr.js';
import { assertOuterParametersMatch, type OuterParams } from './jar-outer-parameters.js';

const MIN_RANDOM_LENGTH = 32;
const allowedPrompts = new Set(['consent', 'consent login', 'login consent']);
const allowedResponseModes = new Set(['query', 'form_post']);
/** Required inside the request object (§2.1, §2.2); outside they are optional (jar-outer-parameters.ts). */
const requiredInside = ['scope', 'code_challenge', 'code_challenge_method'] as const;

export interface RequestObjectAudience {
  clientId: string;
  issuer: string;
  authorizationEndpoint: string;
}

/** The issuer written with or without a trailing slash: RPs that build `aud` from a configured OP id differ. */
export function issuerSpellings(issuer: string): string[] {
  return [issuer, issuer.endsWith('/') ? issuer.slice(0, -1) : `${issuer}/`];
}

/**
 * `aud` is the issuer, or an array holding the issuer and, as the reference RPs send it
 * (the reference RPs in docs/references.md: DJANGO, NODE, PHP), the authorization endpoint. Nothing else:
 * a request object addressed to other parties too is not one we should act on.
 */
function audienceAccepted(aud: unknown, expected: RequestObjectAudience): boolean {
  const spellings = issuerSpellings(expected.issuer);
  const values = Array.isArray(aud) ? aud : [aud];
  if (!values.some((value) => spellings.includes(value as string))) return false;
  return values.every((value) => spellings.includes(value as string) || value === expected.authorizationEndpoint);
}

/**
 * The CIE rules a request object must meet once its signature has verified (SPID/CIE OIDC
 * guidelines: authorization request, request object — docs/references.md): everything but the times and single use (request-object-verification.ts). `outer`
 * are the plain HTTP parameters of the request. Throws the protocol error of the rule that failed;
 * the library redirects it to the (verified, registered) redirect_uri with state and iss.
 */
export function assertCieRequestObject(claims: Record<string, unknown>, outer: OuterParams, expected: RequestObjectAudience): void {
  const fail = (description: string): never => {
    throw new errors.InvalidRequestObject(description);
  };
  const { clientId } = expected;
  if (claims.iss !== clientId) fail('request object iss must equal client_id');
  if (claims.client_id !== clientId) fail('request object client_id must equal the client_id parameter');
  if (!audienceAccepted(claims.aud, expected)) fail('request object aud must be the issuer, or the issuer and the authorization endpoint');
  if (claims.response_type !== 'code') fail('response_type must be "code"');
  if (typeof claims.redirect_uri !== 'string') fail('redirect_uri is required in the request object');
  if (claims.response_mode !== undefined && !allowedResponseModes.has(String(claims.response_mode))) fail('response_mode must be "query" or "form_post"');
  for (const name of requiredInside) {
    if (typeof claims[name] !== 'string') fail(`${name} is required in the request object`);
  }
  assertOuterParametersMatch(claims, outer);
  if (!String(claims.scope).split(' ').includes('openid')) throw new errors.InvalidScope('scope must include openid', 'openid');
  for (const name of ['nonce', 'state'] as const) {
    const value = claims[name];
    if (typeof value !== 'string' || value.length < MIN_RANDOM_LENGTH) fail(`${name} must be at least ${MIN_RANDOM_LENGTH} characters`);
  }
  if (typeof claims.prompt !== 'string' || !allowedPrompts.has(claims.prompt)) fail('prompt must be "consent" or "consent login"');
  if (typeof claims.acr_values !== 'string' || claims.acr_values.trim() === '') fail(`acr_values is required (e.g. ${ACR.L3})`);
  const unknown = String(claims.acr_values).split(' ').filter((v) => v && !acrValuesSupported.includes(v as never));
  if (unknown.length > 0) fail(`unsupported acr_values: ${unknown.join(' ')}`);
}
