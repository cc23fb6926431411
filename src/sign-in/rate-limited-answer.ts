import type { Context } from 'koa';
import { rateLimitHits } from '../observability/metrics.js';
import { answerError } from '../shared/errors/answer-error.js';
import type { Language } from '../shared/language.js';
import { requestLanguage } from '../shared/request-language.js';
import type { WaiterLinks } from './waiter-links.js';

/** Stable codes of the three card limits (the page's `data-code`, the JSON `error`). */
export type RateLimitCode = 'too_many_requests' | 'too_many_challenges' | 'too_many_failures';

export interface RateLimitedAnswer {
  code: RateLimitCode;
  retryAfterSeconds: number;
  /** The waiting page's links ("Riprova" only when waiting helps: the per-network limit). */
  links?: WaiterLinks;
  language?: Language;
}

/**
 * 429 with Retry-After. Browsers (every card endpoint is a page navigation: form posts, the bridge's
 * auto-posted assertion) get the error page in Italian or English, its language switch leading to
 * the waiter's page (it was drawn as the answer to a post); a client that asks for JSON gets the
 * OAuth-style `{ error, error_description }`. A redirect already prepared by the handler is dropped.
 */
export async function answerRateLimited(ctx: Context, answer: RateLimitedAnswer): Promise<void> {
  rateLimitHits.inc({ limit: answer.code });
  const language = answer.language ?? requestLanguage(ctx);
  await answerError(ctx, { code: answer.code, language, retryAfterSeconds: answer.retryAfterSeconds, ...answer.links });
}
