import type { Context } from 'koa';
import type { ChallengeStore } from '../../cie/challenge-store.js';
import type { StateStore } from '../../storage/state-store.js';
import type { FixedWindowLimiter } from '../../storage/state/rate-limiter.js';
import type { CompletionTickets } from '../completion-tickets.js';
import type { SignInBinding, SignInWaiters } from '../sign-in-binding.js';
import type { SignInMethod } from '../sign-in-method.js';
import { waiterOf } from '../sign-in-waiter-lookup.js';
import type { AppAssertionVerifier } from '../app-assertion-verifier.js';
import { SessionEventHub } from './session-event-hub.js';
import { smartphoneRoutes } from './smartphone-routes.js';
import { SmartphoneSessions } from './smartphone-sessions.js';
import { DEFAULT_SMARTPHONE_SETTINGS, type SmartphoneSettings } from './smartphone-settings.js';
import { smartphoneSignInMethod } from './smartphone-sign-in-method.js';

/** What the smartphone room needs, given once by the composition (provider-app.ts). */
export interface SmartphoneSignInDeps {
  /** The provider's origin: what the card signs, the base of the QR and hand-back links. */
  origin: string;
  store: StateStore;
  /** The card's challenge store: one challenge space, one single-use rule, for every method. */
  challenges: ChallengeStore;
  tickets: CompletionTickets;
  /** The card's verifier chain, in the app's shape (appAssertionVerifier). */
  verify: AppAssertionVerifier;
  waiters: SignInWaiters;
  /** The card endpoints' per-network limit: the app's and the desktop page's calls count in the same window. */
  perNetwork: FixedWindowLimiter;
  requesterOf: (ctx: Context, binding: SignInBinding) => Promise<string>;
  settings?: SmartphoneSettings;
  /** The configured lifetimes (SMARTPHONE_*_TTL, bounded by src/config), over `settings`. */
  lifetimes?: Pick<SmartphoneSettings, 'waitingSeconds' | 'sessionSeconds' | 'otpSeconds'>;
}

export interface SmartphoneSignIn {
  method: SignInMethod;
  /** The desktop pages' streams: closed on shutdown, so no open response holds the server. */
  hub: SessionEventHub;
}

/**
 * "Prosegui con smartphone" composed: the sessions on the shared store and the card's challenges and
 * verifier, the server push, the endpoints, and the hand-over to the waiter: a confirmed citizen
 * becomes the waiter's completion ticket, redeemed at the waiter's own completion path.
 */
export function createSmartphoneSignIn(deps: SmartphoneSignInDeps): SmartphoneSignIn {
  const settings = { ...(deps.settings ?? DEFAULT_SMARTPHONE_SETTINGS), ...deps.lifetimes };
  const sessions = new SmartphoneSessions({ store: deps.store, challenges: deps.challenges, verify: deps.verify, settings, origin: deps.origin });
  const hub = new SessionEventHub({ readState: (id) => sessions.state(id), ...settings });
  const routes = smartphoneRoutes({
    sessions,
    hub,
    perNetwork: deps.perNetwork,
    waiters: deps.waiters,
    onConfirmed: async (binding, citizen) => {
      const waiter = waiterOf(deps.waiters, binding);
      return waiter.completionPath(binding.id, await deps.tickets.issue(binding, { kind: 'verified', citizen }));
    },
  });
  const method = smartphoneSignInMethod({ sessions, routes, requesterOf: deps.requesterOf, waiters: deps.waiters });
  return { method, hub };
}
