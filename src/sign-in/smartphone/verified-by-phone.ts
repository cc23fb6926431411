import type { VerifiedCitizen } from '../verified-citizen.js';
import type { VerifiedAppAssertion } from '../app-assertion-verifier.js';

const SPID_L3 = 'https://www.spid.gov.it/SpidL3';

/**
 * The citizen as the waiter receives them: the card and its PIN did the authentication, as on the
 * desktop (the OTP or the hand-back only carries it to the right browser), so acr and amr are the card's.
 */
export function verifiedByPhone(citizen: Omit<VerifiedAppAssertion, 'boundTo'>): VerifiedCitizen {
  return { method: 'smartphone', fiscalCode: citizen.fiscalCode, claims: citizen.claims, acr: SPID_L3, amr: ['sc', 'pin', 'mfa'], certificateSerial: citizen.certificateSerial };
}
