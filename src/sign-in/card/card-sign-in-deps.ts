import type { ChallengeStore } from '../../cie/challenge-store.js';
import type { CompletionTickets } from '../completion-tickets.js';
import type { SignInWaiters } from '../sign-in-binding.js';
import type { CardLoginVerifier } from './card-login-verifier.js';
import type { CardRateLimits } from './card-rate-limits.js';

/** What the card room needs, given once by the composition (provider-app.ts). */
export interface CardSignInDeps {
  /** The provider's origin: what the card signs and where the bridge posts the assertion. */
  origin: string;
  bridgeUrl: string;
  challenges: ChallengeStore;
  tickets: CompletionTickets;
  verifier: CardLoginVerifier;
  /** Who may wait for a card sign-in, by name: their completion paths and links. */
  waiters: SignInWaiters;
  rateLimits: CardRateLimits;
}

/** The card's id among the sign-in methods (the access registry's `method`). */
export const CARD_METHOD = 'cie-card';
/** The segment of a waiter's start path for the card: `POST /interaction/:uid/cie`, `/account/cie`. */
export const CARD_PATH_NAME = 'cie';
