import type { Interaction } from 'oidc-provider';
import { OFFLINE_ACCESS } from '../oidc/offline-access-scope.js';

/** What one consent page asks the citizen, and what its "Autorizza" grants. */
export interface ConsentRequest {
  /** The scopes this consent releases (offline_access never among them: it is `offlineAccess`). */
  scopes: string[];
  /** The claims requested one by one. */
  claims: string[];
  /**
   * offline_access is asked at this consent: the switch is shown, and a refresh token follows only
   * if the citizen turns it on here. oidc-provider keeps it in the request only with `prompt=consent`
   * and a client allowed refresh tokens (lib/actions/authorization/scopes.js).
   */
  offlineAccess: boolean;
}

function words(value: unknown): string[] {
  return typeof value === 'string' ? value.split(' ').filter(Boolean) : [];
}

/** Claim names of the `claims` request parameter (userinfo and id_token members); malformed: none. */
function requestedClaimNames(value: unknown): string[] {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      return [];
    }
  }
  if (typeof parsed !== 'object' || parsed === null) return [];
  const names = new Set<string>();
  for (const member of ['userinfo', 'id_token'] as const) {
    const requested = (parsed as Record<string, unknown>)[member];
    if (typeof requested === 'object' && requested !== null) for (const name of Object.keys(requested)) names.add(name);
  }
  return [...names];
}

/**
 * oidc-provider's consent prompt lists only what the browser session's grant has not met yet, so a
 * second consent in one session would show neither the attributes nor the offline-access switch.
 * With `prompt=consent` the citizen is asked for the whole request again, every time.
 */
export function consentRequest(details: Pick<Interaction, 'params' | 'prompt'>): ConsentRequest {
  const { missingOIDCScope = [], missingOIDCClaims = [] } = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
  const askedAgain = words(details.params.prompt).includes('consent');
  const requestedScopes = words(details.params.scope);
  const scopes = new Set([...missingOIDCScope, ...(askedAgain ? requestedScopes : [])]);
  const claims = new Set([...missingOIDCClaims, ...(askedAgain ? requestedClaimNames(details.params.claims) : [])]);
  for (const notAsked of ['sub', 'sid', 'auth_time', 'acr', 'amr', 'iss']) claims.delete(notAsked);
  const offlineAccess = scopes.has(OFFLINE_ACCESS);
  scopes.delete(OFFLINE_ACCESS);
  return { scopes: [...scopes], claims: [...claims], offlineAccess };
}
