import { errors, type Provider } from 'oidc-provider';

/**
 * A request object is single use (SPID/CIE OIDC guidelines: request object — docs/references.md interop note, OIDFED): keyed by its
 * `jti`, or by its `nonce` for legacy RPs that send no `jti` (as the reference OP does). Uses
 * oidc-provider's ReplayDetection store, the same one that guards client-assertion `jti`s.
 * Called only once the request object's signature has verified (request-object-verification.ts),
 * and kept until `validUntil` (never later than the maximum lifetime allows) plus the tolerance.
 */
export async function recordRequestObjectUse(provider: Provider, claims: Record<string, unknown>, clientId: string, validUntil: number, clockTolerance: number): Promise<void> {
  // Only an absent jti falls back to the nonce; a jti of another type never gets here (request-object-verification.ts).
  const id = claims.jti === undefined ? `nonce:${String(claims.nonce)}` : `jti:${String(claims.jti)}`;
  const unique = await provider.ReplayDetection.unique(`request-object:${clientId}`, id, validUntil + clockTolerance);
  if (!unique) throw new errors.InvalidRequestObject('request object already used');
}
