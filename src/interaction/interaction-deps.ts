import type Provider from 'oidc-provider';
import type { AccountStore } from '../oidc/accounts.js';
import type { CompletionTickets } from '../sign-in/completion-tickets.js';
import type { SignInWaiters } from '../sign-in/sign-in-binding.js';
import type { SignInMethod } from '../sign-in/sign-in-method.js';
import type { OfflineGrantIndex } from '../storage/state/offline-grant-index.js';
import type { FixedWindowLimiter } from '../storage/state/rate-limiter.js';
import type { LoginRecords } from './login-records.js';

/** What the interaction's endpoints need, given once by the composition (provider-app.ts). */
export interface InteractionDeps {
  provider: Provider;
  /** Every sign-in method, in the login page's order; the page offers those that satisfy the request's level. */
  methods: readonly SignInMethod[];
  /** The per-network window of every sign-in request (the card's `rateLimits.perNetwork`): each method's start counts in it. */
  perNetwork: FixedWindowLimiter;
  /** Every waiter: the links of a refused start's 429 page ("Riprova", "Torna al servizio"). */
  waiters: SignInWaiters;
  /** Where the methods leave their outcomes for the interaction to redeem. */
  tickets: CompletionTickets;
  accounts: AccountStore;
  /** Where consented offline grants are recorded, for the citizen's account page. */
  offlineGrants: OfflineGrantIndex;
  /** The access registry: a login finishes only once its record is durable (docs/registry.md); default none. */
  records?: LoginRecords;
}
