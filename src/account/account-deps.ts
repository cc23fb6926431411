import type { CompletionTickets } from '../sign-in/completion-tickets.js';
import type { SignInWaiters } from '../sign-in/sign-in-binding.js';
import type { SignInMethod } from '../sign-in/sign-in-method.js';
import type { FixedWindowLimiter } from '../storage/state/rate-limiter.js';
import type { AccessHistory } from './access-history.js';
import type { AccountCredentials } from './credentials/account-credentials.js';
import type { AccountSessions } from './account-sessions.js';
import type { OfflineAccessRegistry } from './offline-access.js';

/** What the account page's endpoints need, given once by the composition (provider-app.ts). */
export interface AccountDeps {
  /**
   * The ways to sign in to the page (the card today), each started at `POST /account/<pathName>`.
   * The composition gives only methods that prove who the citizen is at level 3: the page can
   * withdraw what a level-3 sign-in consented to.
   */
  methods: readonly SignInMethod[];
  /** The per-network window of every sign-in request (the card's `rateLimits.perNetwork`): each method's start counts in it. */
  perNetwork: FixedWindowLimiter;
  /** Every waiter: the links of a refused start's 429 page (the language switch back to the page). */
  waiters: SignInWaiters;
  /** Where a method leaves its outcome for the account page to redeem (bound to the page's sign-in id). */
  tickets: CompletionTickets;
  /** How long a started method may take before its ticket comes back (the card: the challenge's lifetime). */
  signInTtlSeconds: number;
  sessions: AccountSessions;
  offlineAccess: Pick<OfflineAccessRegistry, 'list' | 'withdraw'>;
  /** The citizen's records in the access registry (docs/registry.md); default none. */
  history?: AccessHistory;
  /** Levels 1/2 (docs/levels.md): credentials and passkeys the citizen manages here; without it the page has no such part. */
  credentials?: AccountCredentials;
  /** The demo's outbox page (`GET /dev/outbox`): given only when the local outbox is the mail transport on a loopback origin. */
  outboxPage?: boolean;
}
