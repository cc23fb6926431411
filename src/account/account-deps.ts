import type { ChallengeStore } from '../cie/challenge-store.js';
import type { CardLoginVerifier } from '../sign-in/card/card-login-verifier.js';
import type { CompletionTickets } from '../sign-in/completion-tickets.js';
import type { FixedWindowLimiter } from '../storage/state/rate-limiter.js';
import type { AccessHistory } from './access-history.js';
import type { AccountSessions } from './account-sessions.js';
import type { OfflineAccessRegistry } from './offline-access.js';

/** What the account page's endpoints need, given once by the composition (provider-app.ts). */
export interface AccountDeps {
  origin: string;
  bridgeUrl: string;
  challengeTtlSeconds: number;
  challenges: ChallengeStore;
  tickets: CompletionTickets;
  verifier: CardLoginVerifier;
  sessions: AccountSessions;
  offlineAccess: OfflineAccessRegistry;
  /** The per-client-network card limit, shared with the login's card steps; default none. */
  networkLimit?: FixedWindowLimiter;
  /** The citizen's records in the access registry (docs/registry.md); default none. */
  history?: AccessHistory;
}
