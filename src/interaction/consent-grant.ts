import type Provider from 'oidc-provider';
import type { Grant, Interaction } from 'oidc-provider';
import { grantsOfflineAccess, OFFLINE_ACCESS } from '../oidc/offline-access-scope.js';
import type { ConsentRequest } from './consent-request.js';
import { InteractionError } from './interaction-error.js';

/**
 * The grant a consent saves. A consent that asks for offline access gets a grant of its own,
 * carrying over the session grant's other scopes and claims but never an earlier yes or no to
 * offline access: a refresh token follows only from the switch on this page (SPID/CIE OIDC
 * guidelines: refresh tokens and offline_access — docs/references.md). An earlier offline grant stays as it is, listed on the account page until it is withdrawn
 * or expires; a later sign-in never joins it, so withdrawing it touches only the tokens the citizen
 * consented to offline. The session's grant is another account's when the browser was signed in as
 * someone else before this sign-in: that one is never carried over (the resume logs the browser out first).
 */
export async function consentGrant(provider: Provider, details: Interaction, accountId: string, asked: ConsentRequest, offlineSwitchOn: boolean): Promise<Grant> {
  const clientId = String(details.params.client_id);
  const found = details.grantId ? await provider.Grant.find(details.grantId) : undefined;
  if (details.grantId && !found) throw new InteractionError('session_expired', 'grant vanished');
  const sessionGrant = found?.accountId === accountId ? found : undefined;
  const grant = asked.offlineAccess || !sessionGrant || grantsOfflineAccess(sessionGrant) ? new provider.Grant({ accountId, clientId }) : sessionGrant;
  if (grant !== sessionGrant && sessionGrant) {
    const carried = sessionGrant.getOIDCScope().split(' ').filter((scope) => scope && scope !== OFFLINE_ACCESS);
    if (carried.length > 0) grant.addOIDCScope(carried.join(' '));
    const carriedClaims = sessionGrant.getOIDCClaims();
    if (carriedClaims.length > 0) grant.addOIDCClaims(carriedClaims);
  }
  if (asked.scopes.length > 0) grant.addOIDCScope(asked.scopes.join(' '));
  if (asked.claims.length > 0) grant.addOIDCClaims(asked.claims);
  if (asked.offlineAccess) {
    // Declined, not merely missing: otherwise oidc-provider would ask for consent again.
    if (offlineSwitchOn) grant.addOIDCScope(OFFLINE_ACCESS);
    else grant.rejectOIDCScope(OFFLINE_ACCESS);
  }
  return grant;
}
