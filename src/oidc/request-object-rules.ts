import { errors } from 'oidc-provider';
import { ACR, acrValuesSupported } from './acr.js';

const MIN_RANDOM_LENGTH = 32;
const allowedPrompts = new Set(['consent', 'consent login', 'login consent']);

/**
 * The CIE rules a signed request object must meet beyond signature and expiry (which the library
 * checks): cie-oidc-profile.md §2.2. Throws invalid_request_object with the rule that failed.
 */
export function assertCieRequestObject(claims: Record<string, unknown>, clientId: string, issuer: string): void {
  const fail = (description: string): never => {
    throw new errors.InvalidRequestObject(description);
  };
  if (claims.iss !== clientId) fail('request object iss must equal client_id');
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.includes(issuer)) fail('request object aud must contain the issuer');
  if (typeof claims.exp !== 'number') fail('request object exp is required');
  if (typeof claims.iat !== 'number') fail('request object iat is required');
  for (const name of ['nonce', 'state'] as const) {
    const value = claims[name];
    if (typeof value !== 'string' || value.length < MIN_RANDOM_LENGTH) fail(`${name} must be at least ${MIN_RANDOM_LENGTH} characters`);
  }
  if (typeof claims.prompt !== 'string' || !allowedPrompts.has(claims.prompt)) fail('prompt must be "consent" or "consent login"');
  if (typeof claims.acr_values !== 'string' || claims.acr_values.trim() === '') fail(`acr_values is required (e.g. ${ACR.L3})`);
  const unknown = String(claims.acr_values).split(' ').filter((v) => v && !acrValuesSupported.includes(v as never));
  if (unknown.length > 0) fail(`unsupported acr_values: ${unknown.join(' ')}`);
}
