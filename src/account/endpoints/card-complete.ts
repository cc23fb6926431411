import type { Context } from 'koa';
import { accountIdFor } from '../../oidc/accounts.js';
import { ACCOUNT_SESSION_TTL_SECONDS } from '../account-sessions.js';
import { clearAccountCookie, SESSION_COOKIE, setAccountCookie, SIGN_IN_COOKIE } from '../account-cookies.js';
import type { AccountDeps } from '../account-deps.js';
import { language } from '../account-language.js';
import { showSignIn } from '../account-pages.js';
import { accountBinding } from '../account-sign-in-waiter.js';
import { redeemCardSignIn } from '../card-sign-in.js';
import { accountMessagesFor } from '../messages.js';

/**
 * GET /account/cie/complete?ticket=…: the sign-in method sends the browser here with the outcome's
 * ticket; the sign-in cookie proves it is the browser that started, and a verified citizen gets a
 * new session (never the id of an earlier one).
 */
export async function cardComplete(ctx: Context, deps: AccountDeps): Promise<void> {
  const lang = language(ctx);
  const m = accountMessagesFor(lang);
  const signInId = ctx.cookies.get(SIGN_IN_COOKIE, { signed: true });
  if (!signInId) return showSignIn(ctx, lang, { kind: 'error', code: 'sign_in_expired', text: m.signInUnknown }, 400);
  clearAccountCookie(ctx, SIGN_IN_COOKIE);
  const outcome = await redeemCardSignIn(deps, String(ctx.query.ticket ?? ''), accountBinding(signInId));
  if (!outcome) return showSignIn(ctx, lang, { kind: 'error', code: 'challenge_unknown', text: m.signInUnknown }, 400);
  if (outcome.kind === 'failed') {
    const text = outcome.code === 'cancelled' ? m.cancelledAtBridge : deps.verifier.messageFor(outcome.code, lang);
    return showSignIn(ctx, lang, { kind: 'error', code: outcome.code, text }, 400);
  }
  const accountId = accountIdFor(outcome.fiscalCode);
  // Recorded before the page opens (the citizen's management of their access is kept as the accesses are).
  await deps.history?.manage({ accountId, action: 'account-sign-in', ...(outcome.certificateSerial ? { certificateSerial: outcome.certificateSerial } : {}) });
  const session = await deps.sessions.start(accountId, outcome.fiscalCode);
  setAccountCookie(ctx, SESSION_COOKIE, session.id, ACCOUNT_SESSION_TTL_SECONDS);
  ctx.status = 303;
  ctx.redirect('/account');
}
