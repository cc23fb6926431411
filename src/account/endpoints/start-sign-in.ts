import { randomBytes } from 'node:crypto';
import { requestLanguage } from '../../shared/request-language.js';
import { TICKET_TTL_SECONDS } from '../../sign-in/completion-tickets.js';
import { admitStartByNetwork } from '../../sign-in/network-limit.js';
import type { SignInMethod } from '../../sign-in/sign-in-method.js';
import { setAccountCookie, SIGN_IN_COOKIE } from '../account-cookies.js';
import { accountBinding } from '../account-sign-in-waiter.js';
import type { AccountHandler } from './account-endpoint.js';

/**
 * POST /account/<method> ("Entra con CIE" is /account/cie): a sign-in bound to a fresh random id
 * that only this browser will hold. Every start counts in the per-network window before anything is
 * stored or set, whatever the method; the binding gives its refusal the page's links.
 */
export function startSignIn(method: SignInMethod): AccountHandler {
  return async (ctx, deps) => {
    const binding = accountBinding(randomBytes(32).toString('base64url'));
    if (!(await admitStartByNetwork(ctx, deps.perNetwork, deps.waiters, binding, method))) return;
    const lang = requestLanguage(ctx);
    setAccountCookie(ctx, SIGN_IN_COOKIE, binding.id, deps.signInTtlSeconds + TICKET_TTL_SECONDS);
    await method.start(ctx, binding, lang);
  };
}
