import type { Context } from 'koa';
import { rateLimitHits } from '../observability/metrics.js';
import { renderPage } from '../shared/html.js';
import { chooseLanguage, type Language } from '../shared/language.js';
import { messagesFor } from '../interaction/messages.js';
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
 * auto-posted assertion) get our error page in Italian or English; a client that asks for JSON
 * gets the OAuth-style `{ error, error_description }` shape the storage guard's 503 also uses.
 * A redirect already prepared by the handler is dropped.
 */
export async function answerRateLimited(ctx: Context, answer: RateLimitedAnswer): Promise<void> {
  rateLimitHits.inc({ limit: answer.code });
  const lang = answer.language ?? chooseLanguage({
    query: typeof ctx.query.lang === 'string' ? ctx.query.lang : undefined,
    cookie: ctx.cookies.get('lang'),
    acceptLanguage: ctx.get('accept-language'),
  });
  const m = messagesFor(lang);
  const message = { too_many_requests: m.tooManyFromNetwork, too_many_challenges: m.tooManyChallenges, too_many_failures: m.tooManyFailures }[answer.code];
  ctx.remove('Location');
  ctx.set('Retry-After', String(answer.retryAfterSeconds));
  if (ctx.accepts('html', 'json') === 'json') {
    ctx.status = 429;
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { error: answer.code, error_description: message };
    return;
  }
  // Drawn as the answer to a form post: the switch leads to the waiter's page, not back to the post.
  const { languageSwitchPath, ...links } = answer.links ?? {};
  await renderPage(ctx, 'error', {
    lang,
    m: { ...m, errorTitle: m.tooManyTitle },
    title: m.tooManyTitle,
    assets: '/assets',
    code: answer.code,
    message,
    retryUid: undefined,
    ...links,
  }, { status: 429, ...(languageSwitchPath ? { languageSwitchPath } : {}) });
}
