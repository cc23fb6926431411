import type { Context } from 'koa';
import type { AppApprovals } from '../../credentials/app-approvals.js';
import type { AppDevices } from '../../credentials/app-devices.js';
import type { AppNotifier } from '../../credentials/app-notifier.js';
import type { CredentialsRoom } from '../../credentials/credentials-room.js';
import type { KeyValueStore } from '../../storage/key-value-store.js';
import type { CompletionTickets } from '../completion-tickets.js';
import type { SignInBinding, SignInWaiters } from '../sign-in-binding.js';

/** The CieID app as the second factor (the push stage): given when the composition offers `password-app`. */
export interface PasswordAppDeps {
  approvals: AppApprovals;
  devices: Pick<AppDevices, 'defaultOf' | 'live'>;
  notifier: AppNotifier;
  /** The name the app shows (the RP's client_name, or the operator's). */
  requesterOf: (ctx: Context, binding: SignInBinding) => Promise<string>;
}

/** What the password room needs, given once by the composition (provider-app.ts). */
export interface PasswordSignInDeps {
  credentials: Pick<CredentialsRoom, 'signIn' | 'codes' | 'limits' | 'store'>;
  /** Where the ceremonies live (the StateStore). */
  ceremonies: KeyValueStore;
  tickets: CompletionTickets;
  waiters: SignInWaiters;
  /** EMAIL_SECOND_FACTOR: whether the level-2 "password + code by e-mail" is offered at all. */
  emailSecondFactor: boolean;
  /** The level-2 "password + notifica sull'app" (`password-app`), offered when given. */
  app?: PasswordAppDeps;
}

/** The level-1 method (password alone) and the level-2 one (password, then a code by e-mail). */
export const PASSWORD_METHOD = 'password';
export const PASSWORD_AND_CODE_METHOD = 'password-otp';
/** The level-2 method with the CieID app's push (number matching) as the second factor. */
export const PASSWORD_AND_APP_METHOD = 'password-app';

/** One ceremony: the password step, then (level 2) the code step of the citizen it named. */
export type PasswordCeremony =
  | { level: 1 | 2; stage: 'password'; language: string; factor?: 'app' }
  | { level: 2; stage: 'code'; language: string; citizenIndex: string; codeId: string; sentTo: string }
  | { level: 2; stage: 'app'; language: string; citizenIndex: string; approvalId: string; number: number; requester: string };

/** A ceremony outlives its code (10 minutes) by a little: the citizen reads the mail and types. */
export const PASSWORD_CEREMONY_TTL_SECONDS = 900;
