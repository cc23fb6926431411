import type { CardProof } from '../../credentials/card-proof.js';
import { ACR } from '../../oidc/acr.js';
import { ACCOUNT_SESSION_TTL_SECONDS, type AccountSession } from '../account-sessions.js';

/** How old the card sign-in behind a change may be: the page's own lifetime, never extended. */
export const CARD_PROOF_MAX_AGE_SECONDS = ACCOUNT_SESSION_TTL_SECONDS;

/**
 * The card proof a credentials change needs (credentials/card-proof.ts): the session was opened by a
 * level-3 sign-in no older than the page's lifetime. A session of another level proves too little.
 */
export function cardProofOf(session: AccountSession, now = Date.now()): CardProof | undefined {
  if (session.acr !== ACR.L3) return undefined;
  if (!(now - session.signedInAt <= CARD_PROOF_MAX_AGE_SECONDS * 1000)) return undefined;
  return { fiscalCode: session.fiscalCode, acr: session.acr, claims: session.claims };
}
