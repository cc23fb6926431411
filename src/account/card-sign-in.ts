import type { Context } from 'koa';
import { redirectToBridge } from '../sign-in/card/card-challenge-redirect.js';
import { accountSignInBinding, endCancelledChallenge } from '../sign-in/completion-tickets.js';
import type { SignInBinding } from '../sign-in/sign-in-binding.js';
import type { Language } from '../shared/language.js';
import type { AccountDeps } from './account-deps.js';

/** What the account page learns from a redeemed ticket: who the citizen is, or why not. */
export type AccountSignInOutcome =
  | { kind: 'verified'; fiscalCode: string; certificateSerial?: string }
  | { kind: 'failed'; code: string };

/** "Entra con CIE": a card challenge bound to this sign-in, and the browser sent to the bridge. */
export async function startCardSignIn(ctx: Context, deps: AccountDeps, binding: SignInBinding, lang: Language): Promise<void> {
  await redirectToBridge(ctx, deps, accountSignInBinding(binding.id), lang);
}

/** The ticket's outcome for this binding only (undefined: unknown, spent or another binding's); a cancel ends its challenge here. */
export async function redeemCardSignIn(deps: AccountDeps, ticket: string, binding: SignInBinding): Promise<AccountSignInOutcome | undefined> {
  const outcome = await deps.tickets.redeem(ticket, accountSignInBinding(binding.id));
  if (!outcome) return undefined;
  if (outcome.kind === 'login') return { kind: 'verified', fiscalCode: outcome.fiscalCode, ...(outcome.certificateSerial ? { certificateSerial: outcome.certificateSerial } : {}) };
  await endCancelledChallenge(deps.challenges, outcome);
  return { kind: 'failed', code: outcome.code };
}
