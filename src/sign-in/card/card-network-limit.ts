import type { Context, Next } from 'koa';
import { StorageUnavailableError } from '../../storage/storage-unavailable-error.js';
import type { FixedWindowLimiter } from '../../storage/state/rate-limiter.js';
import { clientNetwork } from '../client-network.js';
import { answerRateLimited } from '../rate-limited-answer.js';
import type { WaiterLinks } from '../waiter-links.js';

/**
 * Per client network limit on the card endpoints, counted before any work is done (that work —
 * challenge writes, signature and OCSP checks — is what a flood would cost). The card's own route
 * (`/cie/assertion`) has it as a middleware; a waiter's start endpoint (`POST /interaction/:uid/cie`,
 * `/account/cie`) asks it first through the method's `admit`. Either way it counts exactly the
 * requests the router matches, whatever their spelling (the router ignores case and a trailing
 * slash). The address is koa's `ctx.ip`, so X-Forwarded-For counts only when TRUST_PROXY is set.
 * False: the answer is given (429, or the 503 of a storage outage).
 */
export async function admitByNetwork(ctx: Context, limiter: FixedWindowLimiter, links: () => WaiterLinks = () => ({})): Promise<boolean> {
  if (!limiter.enabled) return true;
  let verdict;
  try {
    verdict = await limiter.hit(clientNetwork(ctx.ip));
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

/** The same limit as a middleware of the card's own routes. */
export function cardNetworkLimit(limiter: FixedWindowLimiter) {
  return async (ctx: Context, next: Next): Promise<unknown> => ((await admitByNetwork(ctx, limiter)) ? next() : undefined);
}
