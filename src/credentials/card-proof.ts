import { ACR } from '../oidc/acr.js';
import { CredentialsError } from './credentials-error.js';

/**
 * What proves the citizen may create or change credentials: a level-3 (card) sign-in just now, as
 * the waiter received it (a `VerifiedCitizen` of sign-in/ fits). Credentials are never created or
 * recovered any other way.
 */
export interface CardProof {
  fiscalCode: string;
  acr: string;
  claims?: Record<string, unknown>;
}

export function requireCardProof(proof: CardProof): void {
  if (proof.acr !== ACR.L3) throw new CredentialsError('card_sign_in_required', 'credentials are created and changed only after a level-3 (card) sign-in');
}
