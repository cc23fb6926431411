import type { Context } from 'koa';
import { errorMessage, errorStatus } from './error-table.js';
import { renderErrorPage, type ErrorPageOptions } from './render-error-page.js';

/**
 * A browser gets the error page; a client that prefers JSON gets the OAuth-style
 * `{ error, error_description }` with the same status (and Retry-After), never cached.
 */
export async function answerError(ctx: Context, options: ErrorPageOptions): Promise<void> {
  if (ctx.accepts('html', 'json') !== 'json') return renderErrorPage(ctx, options);
  ctx.remove('Location');
  if (options.retryAfterSeconds !== undefined) ctx.set('Retry-After', String(options.retryAfterSeconds));
  ctx.status = options.status ?? errorStatus(options.code);
  ctx.set('Cache-Control', 'no-store');
  ctx.body = { error: options.shownCode ?? options.code, error_description: errorMessage(options.code, options.language, { surface: options.surface, params: options.params }) };
}
