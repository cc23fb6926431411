import type { CitizenRecord } from '../credentials/credential-store.js';
import type { VerifiedCitizen } from './verified-citizen.js';

/** The citizen as the stored identity names them (read from the card at activation), with what this sign-in proved. */
export function citizenOf(record: CitizenRecord, method: string, outcome: { acr: string; amr: string[] }): VerifiedCitizen {
  return { method, fiscalCode: record.identity.fiscalCode, claims: record.identity.claims, acr: outcome.acr, amr: [...outcome.amr] };
}
