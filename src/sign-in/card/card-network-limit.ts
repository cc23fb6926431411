import type { Context, Next } from 'koa';
import { StorageUnavailableError } from '../../storage/storage-unavailable-error.js';
import type { FixedWindowLimiter } from '../../storage/state/rate-limiter.js';
import { clientNetwork } from '../client-network.js';
import { answerRateLimited } from '../rate-limited-answer.js';

/**
 * Per client network limit on the card endpoints, counted before any work is done (that work —
 * challenge writes, signature and OCSP checks — is what a flood would cost). It is a middleware of
 * the card routes themselves (`POST /interaction/:uid/cie`, `/cie/assertion`, `/account/cie`), so
 * it counts exactly the requests the router matches, whatever their spelling (the router ignores
 * case and a trailing slash). The address is koa's `ctx.ip`, so X-Forwarded-For counts only when
 * TRUST_PROXY is set.
 */
export function cardNetworkLimit(limiter: FixedWindowLimiter) {
  return async (ctx: Context & { params?: Record<string, string> }, next: Next): Promise<unknown> => {
    if (!limiter.enabled) return next();
    let verdict;
    try {
      verdict = await limiter.hit(clientNetwork(ctx.ip));
    } catch (error) {
      if (!(error instanceof StorageUnavailableError)) throw error;
      // Nothing was counted; the storage guard in front of every route makes this its 503 page.
      ctx.status = 503;
      return undefined;
    }
    if (verdict.allowed) return next();
    return answerRateLimited(ctx, { code: 'too_many_requests', retryAfterSeconds: verdict.retryAfterSeconds, retryUid: ctx.params?.uid });
  };
}
