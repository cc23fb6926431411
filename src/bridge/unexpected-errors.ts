import type { Middleware } from 'koa';
import { CodedError } from '../shared/coded-error.js';
import { RequestBodyError } from '../shared/form-body.js';
import { loggerFor } from '../shared/logger.js';
import { requestLanguage } from '../shared/request-language.js';
import { renderMessagePage } from './bridge-pages.js';

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
      const language = requestLanguage(ctx, undefined, { cookie: false });
      // Too large (413), not a form (415): the table's status and the bridge's "invalid request".
      if (error instanceof RequestBodyError) return renderMessagePage(ctx, error.code, language, { helpOrigin });
      // Never echo the error: it could in theory carry request data. Log only its code/name.
      log.error({ event: 'bridge_unexpected_error', code: error instanceof CodedError ? error.code : 'internal_error', error_type: (error as Error)?.name }, 'bridge: unexpected error');
      return renderMessagePage(ctx, 'internal_error', language, { helpOrigin });
    }
  };
}
