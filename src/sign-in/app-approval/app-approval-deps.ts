import type { Context } from 'koa';
import type { AppApprovals } from '../../credentials/app-approvals.js';
import type { AppDevices } from '../../credentials/app-devices.js';
import type { AppNotifier } from '../../credentials/app-notifier.js';
import type { StateStore } from '../../storage/state-store.js';
import type { FixedWindowLimiter } from '../../storage/state/rate-limiter.js';
import type { ChallengeStore } from '../../cie/challenge-store.js';
import type { CompletionTickets } from '../completion-tickets.js';
import type { SignInBinding, SignInWaiters } from '../sign-in-binding.js';
import type { AppAssertionVerifier } from '../app-assertion-verifier.js';

/** What the app-approval room needs, given once by the composition (provider-app.ts). */
export interface AppApprovalDeps {
  /** The provider's origin: the devices' `aud`, what the card signs at enrolment, the base of the QR link. */
  origin: string;
  store: StateStore;
  /** The card's challenge store: the enrolment's card read is a level-3 read like any other. */
  challenges: ChallengeStore;
  /** The card's verifier chain, as the smartphone uses it (origin, challenge once, signature, chain, revocation, identity). */
  verify: AppAssertionVerifier;
  devices: AppDevices;
  approvals: AppApprovals;
  notifier: AppNotifier;
  tickets: CompletionTickets;
  waiters: SignInWaiters;
  /** The card endpoints' per-network limit: the app's calls count in the same window. */
  perNetwork: FixedWindowLimiter;
  /** The name the app shows (the RP's client_name, or the operator's for the account page). */
  requesterOf: (ctx: Context, binding: SignInBinding) => Promise<string>;
}
