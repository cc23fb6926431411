import type { Context, Middleware } from 'koa';
import { StorageUnavailableError } from '../oidc/redis/storage-unavailable-error.js';
import type { FixedWindowLimiter } from '../oidc/state/rate-limiter.js';
import { clientNetwork } from './client-network.js';
import { answerRateLimited } from './rate-limited-answer.js';

const INTERACTION_CARD_STEP = /^\/interaction\/([^/]+)\/cie$/;

/** The requests that make the provider issue a challenge or verify an assertion. */
function isCardRequest(ctx: Context): boolean {
  return ctx.method === 'POST' && (INTERACTION_CARD_STEP.test(ctx.path) || ctx.path === '/cie/assertion' || ctx.path === '/account/cie');
}

/**
 * Per client network limit on the card endpoints, counted before any work is done (that work —
 * challenge writes, signature and OCSP checks — is what a flood would cost). The address is
 * koa's `ctx.ip`, so X-Forwarded-For counts only when TRUST_PROXY is set.
 */
export function cardNetworkLimit(limiter: FixedWindowLimiter): Middleware {
  return async (ctx, next) => {
    if (!limiter.enabled || !isCardRequest(ctx)) return next();
    let verdict;
    try {
      verdict = await limiter.hit(clientNetwork(ctx.ip));
    } catch (error) {
      if (!(error instanceof StorageUnavailableError)) throw error;
      // Nothing was counted; the storage guard in front of every route makes this its 503 page.
      ctx.status = 503;
      return;
    }
    if (verdict.allowed) return next();
    const uid = INTERACTION_CARD_STEP.exec(ctx.path)?.[1];
    return answerRateLimited(ctx, { code: 'too_many_requests', retryAfterSeconds: verdict.retryAfterSeconds, retryUid: uid });
  };
}
