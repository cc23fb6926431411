import type { Context } from 'koa';
import type { ErrorParams } from '../../../shared/errors/error-table.js';
import { requestLanguage } from '../../../shared/request-language.js';
import { bridgeErrorText } from '../../bridge-error-text.js';
import { renderBridgePage, renderMessagePage, signInLink } from '../../bridge-pages.js';
import type { BridgeState } from '../../bridge-state.js';
import type { PendingRequest } from '../../pending-requests.js';

/** The provider whose help pages a sign-in page links to when it belongs to no open sign-in. */
export function defaultHelpOrigin(state: BridgeState): string {
  return state.deps.allowedOrigins[0] ?? '';
}

/**
 * A page that only says what happened (refused, expired, a card failure that ends the sign-in), in the
 * error table's words and, unless given, with its status.
 */
export async function signInMessage(ctx: Context, state: BridgeState, request: PendingRequest | undefined, code: string, options: { status?: number; params?: ErrorParams } = {}): Promise<void> {
  const language = request?.language ?? requestLanguage(ctx, undefined, { cookie: false });
  const pageOptions = { status: options.status, helpOrigin: defaultHelpOrigin(state), signIn: request ? signInLink(request) : undefined };
  await renderMessagePage(ctx, code, language, pageOptions, options.params);
}

/** The PIN page of an open sign-in, with what went wrong on the last try if anything did. */
export async function pinPage(ctx: Context, state: BridgeState, request: PendingRequest, notice?: { code: string; params?: ErrorParams }): Promise<void> {
  await renderBridgePage(ctx, 'pin', request.language, {
    requestId: request.id,
    formToken: request.formToken,
    notice: notice && bridgeErrorText(notice.code, request.language, notice.params),
    noticeCode: notice?.code,
  }, { status: notice ? 400 : 200, helpOrigin: defaultHelpOrigin(state), signIn: signInLink(request) });
}
