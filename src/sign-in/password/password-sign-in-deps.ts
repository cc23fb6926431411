import type { CredentialsRoom } from '../../credentials/credentials-room.js';
import type { KeyValueStore } from '../../storage/key-value-store.js';
import type { CompletionTickets } from '../completion-tickets.js';
import type { SignInWaiters } from '../sign-in-binding.js';

/** What the password room needs, given once by the composition (provider-app.ts). */
export interface PasswordSignInDeps {
  credentials: Pick<CredentialsRoom, 'signIn' | 'codes' | 'limits' | 'store'>;
  /** Where the ceremonies live (the StateStore). */
  ceremonies: KeyValueStore;
  tickets: CompletionTickets;
  waiters: SignInWaiters;
  /** EMAIL_SECOND_FACTOR: whether the level-2 "password + code by e-mail" is offered at all. */
  emailSecondFactor: boolean;
}

/** The level-1 method (password alone) and the level-2 one (password, then a code by e-mail). */
export const PASSWORD_METHOD = 'password';
export const PASSWORD_AND_CODE_METHOD = 'password-otp';

/** One ceremony: the password step, then (level 2) the code step of the citizen it named. */
export type PasswordCeremony =
  | { level: 1 | 2; stage: 'password'; language: string }
  | { level: 2; stage: 'code'; language: string; citizenIndex: string; codeId: string; sentTo: string };

/** A ceremony outlives its code (10 minutes) by a little: the citizen reads the mail and types. */
export const PASSWORD_CEREMONY_TTL_SECONDS = 900;
