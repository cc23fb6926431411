import { errors } from 'oidc-provider';
import { ACR, acrValuesSupported } from './acr.js';

const MIN_RANDOM_LENGTH = 32;
const allowedPrompts = new Set(['consent', 'consent login', 'login consent']);
const allowedResponseModes = new Set(['query', 'form_post']);
/** Parameters the profile wants both as plain HTTP parameters and inside the JWT, with one value (§2.1). */
const duplicatedOutside = ['scope', 'code_challenge', 'code_challenge_method'] as const;

export type OuterParams = Record<string, unknown>;

/**
 * The CIE rules a signed request object must meet beyond signature and iss/aud (which the library
 * checks): cie-oidc-profile.md §2.1, §2.2. `outer` are the plain HTTP parameters of the request.
 * Throws invalid_request_object with the rule that failed.
 */
export function assertCieRequestObject(claims: Record<string, unknown>, outer: OuterParams, clientId: string, issuer: string): void {
  const fail = (description: string): never => {
    throw new errors.InvalidRequestObject(description);
  };
  if (claims.iss !== clientId) fail('request object iss must equal client_id');
  if (claims.client_id !== clientId) fail('request object client_id must equal the client_id parameter');
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.includes(issuer)) fail('request object aud must contain the issuer');
  if (typeof claims.exp !== 'number') fail('request object exp is required');
  if (typeof claims.iat !== 'number') fail('request object iat is required');
  if (claims.response_type !== 'code') fail('response_type must be "code"');
  if (typeof claims.redirect_uri !== 'string') fail('redirect_uri is required in the request object');
  if (claims.response_mode !== undefined && !allowedResponseModes.has(String(claims.response_mode))) fail('response_mode must be "query" or "form_post"');
  for (const name of duplicatedOutside) {
    if (typeof claims[name] !== 'string') fail(`${name} is required in the request object`);
    if (outer[name] !== claims[name]) fail(`${name} must be sent as a parameter too, with the value it has in the request object`);
  }
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
