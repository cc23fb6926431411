import type { AssertionErrorCode } from '../../cie/verify/assertion-error.js';
import type { StateStore } from '../../storage/state-store.js';
import type { WindowStart } from '../../storage/state/fixed-window.js';
import { FixedWindowLimiter } from '../../storage/state/rate-limiter.js';

/** The three limits on the card endpoints (docs/bridge.md "Rate limits"); 0 turns one off. */
export interface CardRateLimitSettings {
  /** Sign-in requests per client network and minute: every method's start, the card's assertion, the smartphone's and the app's calls (docs/levels.md). */
  requestsPerNetworkPerMinute: number;
  /** Card challenges one interaction may ask for. */
  challengesPerInteraction: number;
  /** Refused card assertions one interaction may have before the citizen must start again. */
  failuresPerInteraction: number;
}

export interface CardRateLimits {
  perNetwork: FixedWindowLimiter;
  challengesPerInteraction: FixedWindowLimiter;
  failuresPerInteraction: FixedWindowLimiter;
}

const NETWORK_WINDOW_SECONDS = 60;
/**
 * As long as an interaction lives (`ttl.Interaction` in oidc/provider.ts), counted from the
 * interaction's first challenge or failure: the counter outlives its interaction, so the count is
 * exactly per interaction (or per account sign-in, which lives shorter).
 */
const INTERACTION_WINDOW_SECONDS = 1800;

export function createCardRateLimits(store: Pick<StateStore, 'increment' | 'get'>, settings: CardRateLimitSettings, now?: () => number): CardRateLimits {
  const limiter = (name: string, limit: number, windowSeconds: number, windowStart: WindowStart) => new FixedWindowLimiter(store, { name, limit, windowSeconds, windowStart }, now);
  return {
    perNetwork: limiter('card-ip', settings.requestsPerNetworkPerMinute, NETWORK_WINDOW_SECONDS, 'clock'),
    challengesPerInteraction: limiter('card-challenge', settings.challengesPerInteraction, INTERACTION_WINDOW_SECONDS, 'first-request'),
    failuresPerInteraction: limiter('card-failure', settings.failuresPerInteraction, INTERACTION_WINDOW_SECONDS, 'first-request'),
  };
}

/** Every limit off: for route tests that build the interaction routes without the provider app. */
export function noCardRateLimits(): CardRateLimits {
  const untouched = {
    increment: () => Promise.reject(new Error('a disabled limit counts nothing')),
    get: () => Promise.reject(new Error('a disabled limit reads nothing')),
  };
  return createCardRateLimits(untouched, { requestsPerNetworkPerMinute: 0, challengesPerInteraction: 0, failuresPerInteraction: 0 });
}

/**
 * Refusals that are the provider's side, not the citizen's (no revocation answer from the CA,
 * our own bug): retrying later may work, so they do not use up the citizen's attempts.
 */
const NOT_THE_CITIZENS_FAILURE: ReadonlySet<string> = new Set(['revocation_unavailable', 'internal_error'] satisfies AssertionErrorCode[]);

export function countsAsCardFailure(code: string): boolean {
  return !NOT_THE_CITIZENS_FAILURE.has(code);
}
