import type { Context } from 'koa';
import { renderBridgePage, signInLink } from '../../bridge-pages.js';
import { type BridgeState, languageOf } from '../../bridge-state.js';
import type { PendingRequest } from '../../pending-requests.js';

/** The provider whose help pages a sign-in page links to when it belongs to no open sign-in. */
export function defaultHelpOrigin(state: BridgeState): string {
  return state.deps.allowedOrigins[0] ?? '';
}

/** A page that only says what happened (refused, expired, a card failure that ends the sign-in). */
export async function signInMessage(ctx: Context, state: BridgeState, request: PendingRequest | undefined, code: string, text: string, status: number): Promise<void> {
  const language = request?.language ?? languageOf(ctx);
  await renderBridgePage(ctx, 'message', language, { code, message: text }, { status, helpOrigin: defaultHelpOrigin(state), signIn: request ? signInLink(request) : undefined });
}

/** The PIN page of an open sign-in, with what went wrong on the last try if anything did. */
export async function pinPage(ctx: Context, state: BridgeState, request: PendingRequest, notice?: { code: string; text: string }): Promise<void> {
  await renderBridgePage(ctx, 'pin', request.language, {
    requestId: request.id,
    formToken: request.formToken,
    notice: notice?.text,
    noticeCode: notice?.code,
  }, { status: notice ? 400 : 200, helpOrigin: defaultHelpOrigin(state), signIn: signInLink(request) });
}
