import type { SignInMethodId, VerifiedCitizen } from './verified-citizen.js';

/** What the waiter gets when it redeems a ticket: the verified citizen, or why the method failed. */
export type SignInOutcome =
  | { kind: 'verified'; citizen: VerifiedCitizen }
  | { kind: 'failure'; method: SignInMethodId; code: string };
