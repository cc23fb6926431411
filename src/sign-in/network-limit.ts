import type { Context, Next } from 'koa';
import { loggerFor } from '../shared/logger.js';
import { StorageUnavailableError } from '../storage/storage-unavailable-error.js';
import type { WindowVerdict } from '../storage/state/fixed-window.js';
import type { FixedWindowLimiter } from '../storage/state/rate-limiter.js';
import { clientNetwork } from './client-network.js';
import { answerRateLimited } from './rate-limited-answer.js';
import type { SignInBinding, SignInWaiters } from './sign-in-binding.js';
import type { SignInMethod } from './sign-in-method.js';
import { waiterLinks, type WaiterLinks } from './waiter-links.js';

const log = loggerFor('sign-in');

/**
 * The per client network limit of sign-in requests (docs/levels.md, "One window per network"), counted
 * before any work is done: every method's start (each stores a ceremony, a challenge or a session in the
 * StateStore), the card's assertion (signature and OCSP checks). A waiter's start endpoint
 * (`POST /interaction/:uid/<method>`, `/account/<method>`) asks it first for every method
 * (`admitStartByNetwork`); the card's own route has it as a middleware. Either way it counts exactly the requests the router
 * matches, whatever their spelling (the router ignores case and a trailing slash). The address is
 * koa's `ctx.ip`, so X-Forwarded-For counts only when TRUST_PROXY is set.
 * False: the answer is given (429, or the 503 of a storage outage).
 */
export async function admitByNetwork(ctx: Context, limiter: FixedWindowLimiter, method: string, links: () => WaiterLinks = () => ({})): Promise<boolean> {
  if (!limiter.enabled) return true;
  let verdict;
  try {
    verdict = await hitNetworkLimit(ctx, limiter, method);
  } catch (error) {
    if (!(error instanceof StorageUnavailableError)) throw error;
    // Nothing was counted; the storage guard in front of every route makes this its 503 page.
    ctx.status = 503;
    return false;
  }
  if (verdict.allowed) return true;
  await answerRateLimited(ctx, { code: 'too_many_requests', retryAfterSeconds: verdict.retryAfterSeconds, links: links() });
  return false;
}

/**
 * Counts one request of the client's network in the window. Its first refusal in a window is logged
 * (one line per network and window, whichever endpoint met the limit: a flood of refused requests does
 * not flood the log); the caller answers. Storage errors pass through uncounted.
 */
export async function hitNetworkLimit(ctx: Context, limiter: FixedWindowLimiter, method: string): Promise<WindowVerdict> {
  const network = clientNetwork(ctx.ip);
  const verdict = await limiter.hit(network);
  if (!verdict.allowed && verdict.count === limiter.rule.limit + 1) {
    log.warn({ event: 'sign_in_network_limited', network, method, limit: limiter.rule.limit, retryAfterSeconds: verdict.retryAfterSeconds }, `sign-in: ${network} is over its ${limiter.rule.limit} sign-in requests a window (first refusal: ${method})`);
  }
  return verdict;
}

/**
 * A waiter's start endpoint (`POST /interaction/:uid/<method>`, `/account/<method>`): every method's start
 * counts in the window, whatever the method, before the waiter reads anything; over the limit the 429 page
 * offers "Riprova" and the way back to the waiter (the links the binding's waiter names).
 */
export function admitStartByNetwork(ctx: Context, limiter: FixedWindowLimiter, waiters: SignInWaiters, binding: SignInBinding, method: Pick<SignInMethod, 'id' | 'pathName'>): Promise<boolean> {
  return admitByNetwork(ctx, limiter, method.id, () => waiterLinks(waiters, binding, method.pathName, true));
}

/** The same limit as a middleware of a method's own routes (the card's assertion). */
export function networkLimit(limiter: FixedWindowLimiter, method: string) {
  return async (ctx: Context, next: Next): Promise<unknown> => ((await admitByNetwork(ctx, limiter, method)) ? next() : undefined);
}
