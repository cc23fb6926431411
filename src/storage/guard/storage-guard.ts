import type { Context, Middleware } from 'koa';
import type { StorageOutageWatch } from './storage-outage-watch.js';

/** Seconds a client should wait before retrying while storage is down (Redis reconnects within ~2 s). */
export const STORAGE_RETRY_AFTER_SECONDS = 5;

export const STORAGE_UNAVAILABLE_DESCRIPTION = 'the state storage is temporarily unavailable, retry later';

export interface StorageGuardOptions {
  watch: StorageOutageWatch;
  /** Routes a person's browser navigates to (authorization, interaction, card steps): they get a page, not JSON. */
  isBrowserRoute(ctx: Context): boolean;
  renderPage(ctx: Context): Promise<void>;
}

/**
 * Any request during which storage was unavailable answers 503 + Retry-After instead of whatever
 * the handler produced (oidc-provider's 500 `server_error`, a "session expired" page…): the
 * outcome of such a request is unknown, and retrying later is the right advice. Responses already
 * written to the socket (redirects sent by `interactionFinished`) are left alone.
 */
export function storageGuard(options: StorageGuardOptions): Middleware {
  return async (ctx, next) => {
    const failed = await options.watch.watch(async () => {
      await next();
    });
    if (!failed || ctx.res.headersSent) return;
    ctx.respond = true;
    ctx.remove('Location');
    ctx.remove('WWW-Authenticate');
    ctx.set('Retry-After', String(STORAGE_RETRY_AFTER_SECONDS));
    ctx.set('Cache-Control', 'no-store');
    if (options.isBrowserRoute(ctx)) {
      await options.renderPage(ctx);
    } else {
      ctx.body = { error: 'temporarily_unavailable', error_description: STORAGE_UNAVAILABLE_DESCRIPTION };
    }
    ctx.status = 503;
  };
}
