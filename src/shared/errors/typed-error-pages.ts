import type { Context, Middleware, Next } from 'koa';
import type { CodedError } from '../coded-error.js';
import { requestLanguage } from '../request-language.js';
import { renderErrorPage } from './render-error-page.js';

/** A class of typed errors a router answers as a page: with each error's own code, or with `shownAs` (a code of the error table). */
export interface PagedError {
  readonly type: abstract new (...args: never[]) => CodedError;
  readonly shownAs?: string;
}

/**
 * The error page for every typed error a router names (the table's words and status, the code for the
 * RP's developers); anything else is a 500 page, and logged. The router names the classes: this file
 * knows none, so every area may use it (the interaction, the sign-in rooms).
 */
export function typedErrorPages(paged: readonly PagedError[]): Middleware {
  return async (ctx: Context, next: Next): Promise<void> => {
    try {
      await next();
    } catch (error) {
      const language = requestLanguage(ctx);
      const known = paged.find(({ type }) => error instanceof type);
      if (known) return renderErrorPage(ctx, { code: known.shownAs ?? (error as CodedError).code, language });
      // A storage outage is answered by the outer guard (503); anything else is ours to log.
      if ((error as { code?: unknown }).code !== 'storage_unavailable') ctx.app.emit('error', error, ctx);
      return renderErrorPage(ctx, { code: 'server_error', language });
    }
  };
}
