import type { Context } from 'koa';
import { randomBytes } from 'node:crypto';
import { TICKET_TTL_SECONDS } from '../../sign-in/completion-tickets.js';
import { setAccountCookie, SIGN_IN_COOKIE } from '../account-cookies.js';
import type { AccountDeps } from '../account-deps.js';
import { language } from '../account-language.js';
import { accountBinding } from '../account-sign-in-waiter.js';
import { startCardSignIn as startCard } from '../card-sign-in.js';

/** POST /account/cie, "Entra con CIE": a sign-in bound to a fresh random id that only this browser holds. */
export async function startCardSignIn(ctx: Context, deps: AccountDeps): Promise<void> {
  const lang = language(ctx);
  const signInId = randomBytes(32).toString('base64url');
  setAccountCookie(ctx, SIGN_IN_COOKIE, signInId, deps.challengeTtlSeconds + TICKET_TTL_SECONDS);
  await startCard(ctx, deps, accountBinding(signInId), lang);
}
