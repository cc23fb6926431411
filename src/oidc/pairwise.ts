import { createHmac } from 'node:crypto';

/**
 * Pairwise `sub` per client_id, not per sector host: aggregators host many RPs on one domain
 * (SPID/CIE OIDC guidelines: ID token — docs/references.md), so host-based sectors would let distinct RPs correlate citizens.
 * `secret` is the provider's pairwise secret (docs/keys.md), never a rotated key: changing it
 * changes every citizen's `sub` at every RP.
 */
export function pairwiseSubject(secret: string, accountId: string, clientId: string): string {
  return createHmac('sha256', secret).update(`${clientId}\n${accountId}`).digest('base64url');
}
