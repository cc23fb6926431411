import { randomBytes } from 'node:crypto';
import { TICKET_TTL_SECONDS } from '../../sign-in/completion-tickets.js';
import type { SignInMethod } from '../../sign-in/sign-in-method.js';
import { setAccountCookie, SIGN_IN_COOKIE } from '../account-cookies.js';
import { requestLanguage } from '../../shared/request-language.js';
import { accountBinding } from '../account-sign-in-waiter.js';
import type { AccountHandler } from './account-endpoint.js';

/**
 * POST /account/<method> ("Entra con CIE" is /account/cie): the method admits the request first
 * (the card's per-network limit), then a sign-in bound to a fresh random id only this browser holds.
 */
export function startSignIn(method: SignInMethod): AccountHandler {
  return async (ctx, deps) => {
    if (method.admit && !(await method.admit(ctx))) return;
    const lang = requestLanguage(ctx);
    const signInId = randomBytes(32).toString('base64url');
    setAccountCookie(ctx, SIGN_IN_COOKIE, signInId, deps.signInTtlSeconds + TICKET_TTL_SECONDS);
    await method.start(ctx, accountBinding(signInId), lang);
  };
}
