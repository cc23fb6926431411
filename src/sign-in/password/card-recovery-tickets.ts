import { ACR } from '../../oidc/acr.js';
import type { ChallengeStore } from '../../cie/challenge-store.js';
import type { PasswordSignIn } from '../../credentials/password-sign-in.js';
import { loggerFor } from '../../shared/logger.js';
import type { KeyValueStore } from '../../storage/key-value-store.js';
import { CompletionTickets } from '../completion-tickets.js';
import type { SignInBinding } from '../sign-in-binding.js';
import type { SignInOutcome } from '../sign-in-outcome.js';

const log = loggerFor('credentials');

/**
 * The completion tickets every method issues through, with the credentials' recovery rule: a
 * level-3 (card) sign-in, by whichever card method and for whichever waiter, clears the citizen's
 * password lockout (docs/levels.md). Best effort: the card sign-in never fails because the
 * credentials' database does not answer.
 */
export class CardRecoveryTickets extends CompletionTickets {
  constructor(
    store: KeyValueStore,
    challenges: Pick<ChallengeStore, 'consume'>,
    private readonly passwords: Pick<PasswordSignIn, 'recoverAfterCardSignIn'>,
  ) {
    super(store, challenges);
  }

  override async issue(binding: SignInBinding, outcome: SignInOutcome, options: { endsChallenge?: string } = {}): Promise<string> {
    if (outcome.kind === 'verified' && outcome.citizen.acr === ACR.L3) {
      await this.passwords.recoverAfterCardSignIn(outcome.citizen.fiscalCode).catch((error: unknown) => {
        log.warn({ event: 'credentials_recovery_failed', error }, `credentials: the password lockout was not cleared after a card sign-in: ${(error as Error).message}`);
      });
    }
    return super.issue(binding, outcome, options);
  }
}
