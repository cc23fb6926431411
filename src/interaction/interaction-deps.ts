import type Provider from 'oidc-provider';
import type { AccountStore } from '../oidc/accounts.js';
import type { CompletionTickets } from '../sign-in/completion-tickets.js';
import type { SignInMethod } from '../sign-in/sign-in-method.js';
import type { OfflineGrantIndex } from '../storage/state/offline-grant-index.js';
import type { LoginRecords } from './login-records.js';

/** What the interaction's endpoints need, given once by the composition (provider-app.ts). */
export interface InteractionDeps {
  provider: Provider;
  /** Every sign-in method, in the login page's order; the page offers those that satisfy the request's level. */
  methods: readonly SignInMethod[];
  /** Where the methods leave their outcomes for the interaction to redeem. */
  tickets: CompletionTickets;
  accounts: AccountStore;
  /** Where consented offline grants are recorded, for the citizen's account page. */
  offlineGrants: OfflineGrantIndex;
  /** The access registry: a login finishes only once its record is durable (docs/registry.md); default none. */
  records?: LoginRecords;
}
