import { createHmac } from 'node:crypto';

/**
 * Pairwise `sub` per client_id, not per sector host: aggregators host many RPs on one domain
 * (cie-oidc-profile.md §5), so host-based sectors would let distinct RPs correlate citizens.
 */
export function pairwiseSubject(salt: string, accountId: string, clientId: string): string {
  return createHmac('sha256', salt).update(`${clientId}\n${accountId}`).digest('base64url');
}
