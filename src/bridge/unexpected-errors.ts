import type { Middleware } from 'koa';
import { CodedError } from '../shared/coded-error.js';
import { RequestBodyError } from '../shared/form-body.js';
import { loggerFor } from '../shared/logger.js';
import { renderBridgePage } from './bridge-pages.js';
import { languageOf } from './bridge-state.js';
import { bridgeMessages } from './messages.js';

/**
 * What escapes an endpoint becomes a page: a body the bridge refuses (too large, not a form) is a bad
 * request; anything else is "the card answered unexpectedly", logged by its code only.
 */
export function unexpectedErrors(helpOrigin: string): Middleware {
  const log = loggerFor('bridge');
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const language = languageOf(ctx);
      const m = bridgeMessages(language);
      if (error instanceof RequestBodyError) {
        return renderBridgePage(ctx, 'message', language, { code: error.code, message: m.badRequest }, { helpOrigin, status: error.code === 'body_too_large' ? 413 : 415 });
      }
      // Never echo the error: it could in theory carry request data. Log only its code/name.
      log.error({ event: 'bridge_unexpected_error', code: error instanceof CodedError ? error.code : 'internal_error', error_type: (error as Error)?.name }, 'bridge: unexpected error');
      return renderBridgePage(ctx, 'message', language, { code: 'internal_error', message: m.cardError }, { helpOrigin, status: 500 });
    }
  };
}
