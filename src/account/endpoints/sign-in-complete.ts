import type { Context } from 'koa';
import { ACR } from '../../oidc/acr.js';
import { accountIdFor } from '../../oidc/accounts.js';
import { ACCOUNT_SESSION_TTL_SECONDS } from '../account-sessions.js';
import { clearAccountCookie, SESSION_COOKIE, setAccountCookie, SIGN_IN_COOKIE } from '../account-cookies.js';
import type { AccountDeps } from '../account-deps.js';
import { requestLanguage } from '../../shared/request-language.js';
import { showSignIn } from '../account-pages.js';
import { accountBinding } from '../account-sign-in-waiter.js';
import { errorNotice } from '../account-notices.js';
import { failureText } from '../failure-text.js';

/**
 * GET /account/cie/complete?ticket=…: a sign-in method sends the browser here with its outcome's
 * ticket; the sign-in cookie proves it is the browser that started, and a verified citizen gets a
 * new session (never the id of an earlier one).
 */
export async function signInComplete(ctx: Context, deps: AccountDeps): Promise<void> {
  const lang = requestLanguage(ctx);
  const signInId = ctx.cookies.get(SIGN_IN_COOKIE, { signed: true });
  if (!signInId) return showSignIn(ctx, deps, lang, errorNotice('sign_in_expired', lang), 400);
  clearAccountCookie(ctx, SIGN_IN_COOKIE);
  const outcome = await deps.tickets.redeem(String(ctx.query.ticket ?? ''), accountBinding(signInId));
  if (!outcome) return showSignIn(ctx, deps, lang, errorNotice('challenge_unknown', lang), 400);
  if (outcome.kind === 'failure') return showSignIn(ctx, deps, lang, errorNotice(outcome.code, lang, failureText(deps.methods, outcome, lang)), 400);
  const { fiscalCode, certificateSerial, acr } = outcome.citizen;
  const accountId = accountIdFor(fiscalCode);
  // Recorded before the page opens (the citizen's management of their access is kept as the accesses are).
  await deps.history?.manage({ accountId, action: 'account-sign-in', ...(certificateSerial ? { certificateSerial } : {}) });
  // A card sign-in is the credentials' recovery: the password lockout starts again from zero.
  if (acr === ACR.L3) await deps.credentials?.signIn?.recoverAfterCardSignIn(fiscalCode);
  const session = await deps.sessions.start(accountId, outcome.citizen);
  setAccountCookie(ctx, SESSION_COOKIE, session.id, ACCOUNT_SESSION_TTL_SECONDS);
  ctx.status = 303;
  ctx.redirect('/account');
}
